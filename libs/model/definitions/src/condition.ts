/** A condition on a plan's boolean attributes (major, cross_department, …). */
export type Condition =
  | { attr: string }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

export type Attributes = Record<string, boolean>;

export function holds(condition: Condition, attributes: Attributes): boolean {
  if ('attr' in condition) return attributes[condition.attr] === true;
  if ('not' in condition) return !holds(condition.not, attributes);
  if ('all' in condition) return condition.all.every((c) => holds(c, attributes));
  return condition.any.some((c) => holds(c, attributes));
}

export function attributesIn(condition: Condition): string[] {
  if ('attr' in condition) return [condition.attr];
  if ('not' in condition) return attributesIn(condition.not);
  return ('all' in condition ? condition.all : condition.any).flatMap(attributesIn);
}

/** Chinese rendering, with attribute labels: '(重大改革 且 非(涉及政府职责))'. */
export function describeCondition(condition: Condition, label: (attr: string) => string): string {
  if ('attr' in condition) return label(condition.attr);
  if ('not' in condition) return `非(${describeCondition(condition.not, label)})`;
  const parts = ('all' in condition ? condition.all : condition.any).map((c) => describeCondition(c, label));
  return parts.length === 1 ? parts[0] : `(${parts.join('all' in condition ? ' 且 ' : ' 或 ')})`;
}

/** Conditions over at most this many attributes are decided exactly, by all 2^n assignments. */
const MAX_DECIDED_ATTRIBUTES = 16;

/** Every true/false assignment of the attributes the conditions mention; undefined past the bound. */
function assignments(conditions: Condition[]): Attributes[] | undefined {
  const names = [...new Set(conditions.flatMap(attributesIn))];
  if (names.length > MAX_DECIDED_ATTRIBUTES) return undefined;
  return Array.from({ length: 1 << names.length }, (_, m) => Object.fromEntries(names.map((n, i) => [n, (m & (1 << i)) !== 0])));
}

/** `holds` under the assignment whose bit i is attribute i's value (one of all 2^n, made as a number, not an object). */
function holdsUnder(c: Condition, bit: Map<string, number>, assignment: number): boolean {
  if ('attr' in c) return (assignment & (1 << bit.get(c.attr)!)) !== 0;
  if ('not' in c) return !holdsUnder(c.not, bit, assignment);
  if ('all' in c) {
    for (const x of c.all) if (!holdsUnder(x, bit, assignment)) return false;
    return true;
  }
  for (const x of c.any) if (holdsUnder(x, bit, assignment)) return true;
  return false;
}

/** 'never' when no plan satisfies it, 'always' when every plan does ('unknown' past 16 attributes). */
export function decideCondition(c: Condition): 'never' | 'always' | 'sometimes' | 'unknown' {
  const names = [...new Set(attributesIn(c))];
  if (names.length > MAX_DECIDED_ATTRIBUTES) return 'unknown';
  const bit = new Map(names.map((n, i) => [n, i]));
  let some = false;
  let every = true;
  for (let a = 0; a < 1 << names.length; a++) {
    if (holdsUnder(c, bit, a)) some = true;
    else every = false;
    if (some && !every) return 'sometimes';
  }
  return every ? 'always' : 'never';
}

/** Whether two conditions decide every plan the same way; absent means "always applies". */
export function equivalentConditions(x: Condition | undefined, y: Condition | undefined): boolean {
  if (!x || !y) return (x ?? y) === undefined || decideCondition((x ?? y)!) === 'always';
  const all = assignments([x, y]);
  if (!all) return JSON.stringify(x) === JSON.stringify(y);
  return all.every((a) => holds(x, a) === holds(y, a));
}
