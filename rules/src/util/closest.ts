/** Code points, so that a Chinese character counts as one. */
const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);

/** Levenshtein distance between two code-point arrays, one row of the table at a time. */
function distance(x: readonly number[], y: readonly number[]): number {
  if (x.length < y.length) [x, y] = [y, x];
  if (!y.length) return x.length;
  const row = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) row[j] = j;
  for (let i = 1; i <= x.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const above = row[j];
      const substitute = diagonal + (xi === y[j - 1] ? 0 : 1);
      const insert = row[j - 1] + 1;
      const remove = above + 1;
      row[j] = substitute < insert ? (substitute < remove ? substitute : remove) : insert < remove ? insert : remove;
      diagonal = above;
    }
  }
  return row[y.length];
}

/** Edit distance, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  return distance(codePoints(a), codePoints(b));
}

interface Node {
  name: string;
  points: number[];
  /** Position among the candidates: on a full tie the earlier one wins. */
  order: number;
  /** Children by their distance to this node. */
  children: Map<number, Node>;
}

/**
 * The declared names of one kind, indexed for did-you-mean hints: a BK-tree (edit distance is a
 * metric, so a node at distance d from the word only has children within d ± limit worth a
 * look). A query visits a small part of the names instead of all of them, so a file with
 * thousands of unknown names against thousands of declared ones stays near linear.
 */
export class NameIndex {
  private root: Node | undefined;
  private size = 0;

  constructor(candidates: Iterable<string>) {
    for (const name of candidates) this.add(name);
  }

  private add(name: string) {
    const node: Node = { name, points: codePoints(name), order: this.size++, children: new Map() };
    if (!this.root) {
      this.root = node;
      return;
    }
    for (let at = this.root; ; ) {
      const d = distance(node.points, at.points);
      if (d === 0) return;
      const child = at.children.get(d);
      if (!child) {
        at.children.set(d, node);
        return;
      }
      at = child;
    }
  }

  /**
   * The candidate nearest to `word`, if near enough to be what was meant: within a third of its
   * length. On a tie, the candidate of the same length reads as the likelier typo (阶级 → 阶段,
   * not 级), then the one given first.
   */
  closest(word: string): string | undefined {
    if (word.length > 64 || !this.root) return undefined;
    const w = codePoints(word);
    const limit = Math.max(1, Math.floor(w.length / 3));
    let best: Node | undefined;
    let bestDistance = Infinity;
    let bestGap = Infinity;
    const stack: Node[] = [this.root];
    while (stack.length) {
      const node = stack.pop()!;
      const d = distance(w, node.points);
      if (d <= limit) {
        const gap = Math.abs(node.name.length - word.length);
        if (d < bestDistance || (d === bestDistance && (gap < bestGap || (gap === bestGap && node.order < best!.order)))) {
          best = node;
          bestDistance = d;
          bestGap = gap;
        }
      }
      for (const [k, child] of node.children) if (k >= d - limit && k <= d + limit) stack.push(child);
    }
    return best?.name;
  }
}

/** The candidate nearest to `word`, if near enough to be what was meant (see NameIndex). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return new NameIndex(candidates).closest(word);
}
