import { Attributes, attributesIn, Condition, describeCondition, holds } from './condition';
import { ConditionSchema } from './definition';

const LABELS: Record<string, string> = { major: '重大改革', gov: '涉及政府职责', party: '党委文件', pilot: '试点' };
const label = (a: string) => LABELS[a] ?? a;

describe('holds', () => {
  it('reads a single attribute as strictly true', () => {
    expect(holds({ attr: 'major' }, { major: true })).toBe(true);
    expect(holds({ attr: 'major' }, { major: false })).toBe(false);
    expect(holds({ attr: 'major' }, {})).toBe(false);
  });

  it('negates', () => {
    expect(holds({ not: { attr: 'major' } }, {})).toBe(true);
    expect(holds({ not: { attr: 'major' } }, { major: true })).toBe(false);
    expect(holds({ not: { not: { attr: 'major' } } }, { major: true })).toBe(true);
  });

  it('all needs every part, any needs one', () => {
    const all: Condition = { all: [{ attr: 'major' }, { attr: 'gov' }] };
    const any: Condition = { any: [{ attr: 'major' }, { attr: 'gov' }] };
    const sets: Attributes[] = [{}, { major: true }, { gov: true }, { major: true, gov: true }];
    const table = sets.map((a) => [holds(all, a), holds(any, a)]);
    expect(table).toEqual([
      [false, false],
      [false, true],
      [false, true],
      [true, true],
    ]);
  });

  it('nests (the other-deliberation condition of the reform plan)', () => {
    const c: Condition = { not: { any: [{ any: [{ attr: 'major' }, { attr: 'party' }] }, { attr: 'gov' }] } };
    expect(holds(c, {})).toBe(true);
    expect(holds(c, { party: true })).toBe(false);
    expect(holds(c, { gov: true })).toBe(false);
    expect(holds(c, { pilot: true })).toBe(true);
  });
});

describe('attributesIn', () => {
  it('lists every attribute a condition reads, in order, with repeats', () => {
    expect(attributesIn({ attr: 'major' })).toEqual(['major']);
    expect(attributesIn({ not: { all: [{ attr: 'a' }, { any: [{ attr: 'b' }, { not: { attr: 'a' } }] }] } })).toEqual(['a', 'b', 'a']);
  });
});

describe('describeCondition', () => {
  it('renders labels with 且 / 或 / 非', () => {
    expect(describeCondition({ attr: 'major' }, label)).toBe('重大改革');
    expect(describeCondition({ not: { attr: 'gov' } }, label)).toBe('非(涉及政府职责)');
    expect(describeCondition({ all: [{ attr: 'major' }, { not: { attr: 'gov' } }] }, label)).toBe('(重大改革 且 非(涉及政府职责))');
    expect(describeCondition({ any: [{ attr: 'major' }, { attr: 'party' }, { attr: 'pilot' }] }, label)).toBe('(重大改革 或 党委文件 或 试点)');
  });

  it('drops the brackets around a single-part all/any', () => {
    expect(describeCondition({ all: [{ attr: 'major' }] }, label)).toBe('重大改革');
    expect(describeCondition({ any: [{ not: { attr: 'party' } }] }, label)).toBe('非(党委文件)');
  });

  it('falls back to whatever the label function gives for unknown ids', () => {
    expect(describeCondition({ any: [{ attr: 'x' }, { attr: 'major' }] }, label)).toBe('(x 或 重大改革)');
  });
});

describe('ConditionSchema', () => {
  it('accepts nested conditions', () => {
    const c = { not: { any: [{ attr: 'a' }, { all: [{ attr: 'b' }] }] } };
    expect(ConditionSchema.parse(c)).toEqual(c);
  });

  it.each<[unknown, string]>([
    [{}, 'an empty object'],
    [{ attr: '' }, 'an empty attribute'],
    [{ all: [] }, 'an empty all'],
    [{ any: [] }, 'an empty any'],
    [{ attr: 'a', not: { attr: 'b' } }, 'two operators at once'],
    [{ allOf: [{ attr: 'a' }] }, 'an unknown operator'],
  ])('rejects %p (%s)', (c, _why) => {
    expect(ConditionSchema.safeParse(c).success).toBe(false);
  });
});
