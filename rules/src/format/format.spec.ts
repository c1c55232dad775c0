import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomRuleset } from '../../test/random-ruleset';
import { hasErrors } from '../diagnostics';
import { parseRules } from '../syntax/parse';
import { formatRules } from './format';

const RULES = join(__dirname, '../..');
const read = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]);
const STANDARD = read(join(RULES, 'standard'));
const FIXTURES = read(join(RULES, 'test/diagnostics'));

/** The tree without positions: what a reformatted file must give back. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => k !== 'range' && v !== undefined)
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return value;
}

function parsed(text: string) {
  const result = parseRules(text);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.value;
}

/** format is idempotent, and the formatted text reads back as the same tree. */
function expectRoundTrip(text: string) {
  const tree = parsed(text);
  const once = formatRules(tree);
  const again = parsed(once);
  expect(shape(again)).toEqual(shape(tree));
  expect(formatRules(again)).toBe(once);
}

describe('formatRules', () => {
  it('the standard rules are kept formatted: formatting changes nothing', () => {
    expect(STANDARD.length).toBeGreaterThanOrEqual(4);
    for (const [name, text] of STANDARD) expect({ name, text: formatRules(parsed(text)) }).toEqual({ name, text });
  });

  it.each(STANDARD)('round-trips %s', (_name, text) => expectRoundTrip(text));

  const clean = FIXTURES.filter(([, text]) => !hasErrors(parseRules(text).diagnostics));
  it('has diagnostic fixtures that parse to try', () => expect(clean.length).toBeGreaterThan(20));
  it.each(clean)('round-trips the fixture %s', (_name, text) => expectRoundTrip(text));

  it('round-trips generated rulesets', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const f of randomRuleset(seed)) expectRoundTrip(f.text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps comments where they were: header, before an item, at the end of a line, at the end of the file', () => {
    const text = '# 文件说明\n\n# 角色说明\n角色 a "甲"  # 行尾\n阶段 s "乙"\n  # 动作说明\n  动作 x "丙" 由 a\n# 结尾\n';
    const tree = parsed(text);
    expect(tree.headerComments).toEqual(['文件说明']);
    expect(tree.declarations[0].comments).toEqual({ leading: ['角色说明'], trailing: '行尾' });
    expect(tree.trailingComments).toEqual(['结尾']);
    expect(formatRules(tree)).toBe('# 文件说明\n\n# 角色说明\n角色 a "甲"  # 行尾\n\n阶段 s "乙"\n  # 动作说明\n  动作 x "丙" 由 a\n\n# 结尾\n');
    expectRoundTrip(text);
  });

  it('lays out an untidy file in the one canonical way', () => {
    const text = '程序 p 「程序」 依据 A5 版本 2\n阶段 s "开始" 依据 A5 适用 (a 或 b) 且 非 c 动作 x "办" 由 r、q 转入 t 依据 A5\n时限 d "备案" 期限 1 个月 起算 e 完成 f 依据 A9 督办函 到期后 致 r, q 依据 Y9\n';
    expect(formatRules(parsed(text))).toBe(
      [
        '程序 p "程序"',
        '  版本 2',
        '  依据 A5',
        '',
        '阶段 s "开始"',
        '  依据 A5',
        '  适用 (a 或 b) 且 非 c',
        '  动作 x "办" 由 r、q 转入 t 依据 A5',
        '',
        '时限 d "备案"',
        '  依据 A9',
        '  起算 e',
        '  期限 1 个月',
        '  完成 f',
        '  督办函 到期后 致 r、q 依据 Y9',
        '',
      ].join('\n'),
    );
  });

  it('keeps the parentheses a condition needs, and only those', () => {
    const cases: [string, string][] = [
      ['a 或 b 且 c', 'a 或 b 且 c'],
      ['(a 或 b) 且 c', '(a 或 b) 且 c'],
      ['((a))', 'a'],
      ['非 (a 且 b)', '非 (a 且 b)'],
      ['非 非 a', 'a'],
      ['非 非 非 a', '非 a'],
      ['a 或 (b 或 c)', 'a 或 (b 或 c)'],
      ['(a 且 b) 且 c', '(a 且 b) 且 c'],
    ];
    for (const [input, output] of cases) {
      const text = `阶段 s "x"\n  适用 ${input}\n`;
      expect(formatRules(parsed(text))).toBe(`阶段 s "x"\n  适用 ${output}\n`);
      expectRoundTrip(text);
    }
  });
});
