import { checkDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { STANDARD_PROCEDURE_IDS } from '@reform/platform';
import fc from 'fast-check';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomRuleset } from '../../test/random-ruleset';
import { explainProcedure } from '../explain/explain';
import { compileRules, RulesInput } from '../ruleset';

const RULES = join(__dirname, '../..');
const STANDARD: RulesInput[] = readdirSync(join(RULES, 'standard'))
  .filter((f) => f.endsWith('.rules'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(RULES, 'standard', f), 'utf8') }));
const GOLDEN = join(RULES, 'test/standard.compiled.golden.json');

function expectValid(definition: unknown) {
  const parsed = ProcessDefinitionSchema.safeParse(definition);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(checkDefinition(definition).diagnostics).toEqual([]);
}

describe('compiling the standard rules', () => {
  const result = compileRules(STANDARD);

  it('gives no diagnostic and every standard procedure', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.definitions?.map((d) => d.id).sort()).toEqual([...STANDARD_PROCEDURE_IDS].sort());
  });

  it('gives definitions the engine accepts', () => {
    for (const d of result.definitions ?? []) expectValid(d);
  });

  it('matches the reviewed output (UPDATE_GOLDEN=1 to rewrite, then review the diff)', () => {
    const actual = `${JSON.stringify(result.definitions, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('explains the filing deadline in Chinese', () => {
    const plan = result.definitions!.find((d) => d.id === 'reform_plan')!;
    expect(explainProcedure(plan)).toContain('方案印发后1个月内方案备案');
  });

  it('explains the lights of common.rules (亮灯, Y9 and S4)', () => {
    const plan = result.definitions!.find((d) => d.id === 'reform_plan')!;
    expect(explainProcedure(plan)).toContain('逾期亮红灯;到期前5个工作日内(Y9)或用时进度超过完成进度30个百分点以上(S4)亮黄灯;其余亮绿灯。');
  });

  it('does not depend on the order of the files', () => {
    expect(compileRules([...STANDARD].reverse()).definitions?.map((d) => d.id).sort()).toEqual(result.definitions?.map((d) => d.id).sort());
  });
});

describe('compiling generated rulesets', () => {
  it('valid random rulesets compile with no diagnostic, validate, and explain', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const inputs = randomRuleset(seed);
        const result = compileRules(inputs);
        expect(result.diagnostics).toEqual([]);
        expect(result.definitions).toHaveLength(inputs.length - 1);
        for (const d of result.definitions!) {
          expectValid(d);
          expect(explainProcedure(d)).toContain(d.title);
        }
      }),
      { numRuns: 200 },
    );
  });
});
