import { z } from 'zod';

/** A condition on a plan's boolean attributes (major, cross_department, …). */
export type Condition =
  | { attr: string }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ attr: z.string().min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
  ]),
);

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
