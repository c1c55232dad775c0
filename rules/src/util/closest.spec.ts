import fc from 'fast-check';
import { closest, editDistance, NameIndex } from './closest';

/** Levenshtein distance by the textbook table, over code points. */
function reference(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const table = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
  }
  return table[x.length][y.length];
}

/**
 * The hint as the rule states it, by looking at every candidate: the nearest within a third of
 * the word's length (at least 1); on a tie the one closest in length, then the one given first.
 */
function nearest(word: string, candidates: string[]): string | undefined {
  if (word.length > 64) return undefined;
  const limit = Math.max(1, Math.floor([...word].length / 3));
  const ranked = candidates
    .map((c, order) => ({ c, d: reference(word, c), gap: Math.abs(c.length - word.length), order }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.gap - b.gap || a.order - b.order);
  return ranked[0]?.c;
}

// Short names over a small alphabet (ASCII and Chinese), so that near misses are common.
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_', '1', '阶', '段'), minLength: 0, maxLength: 8 });

describe('did-you-mean hints', () => {
  it('edit distance is the textbook one', () => {
    fc.assert(fc.property(name, name, (a, b) => editDistance(a, b) === reference(a, b)), { numRuns: 500 });
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('阶级', '阶段')).toBe(1);
  });

  it('the index finds what a look at every name finds', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), fc.array(name, { maxLength: 20 }), (names, words) => {
        const unique = [...new Set(names)];
        const index = new NameIndex(unique);
        for (const w of words) expect(index.closest(w)).toBe(nearest(w, unique));
      }),
      { numRuns: 300 },
    );
  });

  it('prefers the same length on a tie, and says nothing when nothing is near', () => {
    expect(closest('阶级', ['级', '阶段'])).toBe('阶段');
    expect(closest('stag_0002', ['stage_0001', 'stage_0002', 'stage_0012'])).toBe('stage_0002');
    expect(closest('qqq_0002', ['event_0002', 'stage_0002'])).toBeUndefined();
    expect(closest('a'.repeat(65), ['a'.repeat(65)])).toBeUndefined();
  });
});
