import { checkDefinition, ProcessDefinition, ProcessDefinitionInput, RuleIdSchema } from '@reform/definitions';
import { compileRules } from '@reform/rules';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRulesDir, STANDARD_PROCEDURE_IDS, STANDARD_RULES_DIR, standardProcedure, standardProcedures, StandardRulesError } from './index';

const REFORM_PLAN = standardProcedure('reform_plan');
const PILOT = standardProcedure('pilot');
const CENTRAL_INTEGRATION = standardProcedure('central_integration');
const PROBLEM = standardProcedure('problem');
const LEADER_LED = standardProcedure('leader_led');
const BLOCKED_REFORM = standardProcedure('blocked_reform');
const SELF_INSPECTION = standardProcedure('self_inspection');

const INPUTS: Array<[string, ProcessDefinitionInput]> = [
  ['REFORM_PLAN', REFORM_PLAN],
  ['PILOT', PILOT],
  ['CENTRAL_INTEGRATION', CENTRAL_INTEGRATION],
  ['PROBLEM', PROBLEM],
  ['LEADER_LED', LEADER_LED],
  ['BLOCKED_REFORM', BLOCKED_REFORM],
  ['SELF_INSPECTION', SELF_INSPECTION],
];

const isRuleId = (s: unknown) => RuleIdSchema.safeParse(s).success;

describe('standard procedures', () => {
  it('rules/standard compiles with no error and no warning', () => {
    const compiled = compileRules(readRulesDir(STANDARD_RULES_DIR));
    expect(compiled.diagnostics).toEqual([]);
    // Every procedure of the folder is listed in STANDARD_PROCEDURE_IDS (@reform/platform), and only those:
    // a procedure added to rules/standard must be added there, or it is never seeded nor listed.
    expect(compiled.definitions?.map((d) => d.id).sort()).toEqual([...STANDARD_PROCEDURE_IDS].sort());
  });

  it.each(INPUTS)('%s passes checkDefinition with no diagnostics', (_name, input) => {
    const checked = checkDefinition(input);
    expect(checked.diagnostics).toEqual([]);
    expect(checked.value?.id).toBe(input.id);
  });

  it('standardProcedures() returns the seven checked definitions, in order', () => {
    const procs = standardProcedures();
    expect(procs.map((p) => `${p.id}@${p.version}`)).toEqual(['reform_plan@1', 'pilot@1', 'central_integration@1', 'problem@1', 'leader_led@1', 'blocked_reform@1', 'self_inspection@1']);
    expect(procs).toEqual(INPUTS.map(([, d]) => checkDefinition(d).value));
  });

  describe.each(standardProcedures().map((p): [string, ProcessDefinition] => [p.id, p]))('%s', (_id, def) => {
    it('carries a rule id on the procedure, every stage, every deadline and every ladder level', () => {
      const missing: string[] = [];
      if (!isRuleId(def.source)) missing.push('source');
      def.stages.forEach((s, i) => isRuleId(s.source) || missing.push(`stages[${i}] ${s.id}`));
      def.deadlines.forEach((d, i) => {
        if (!isRuleId(d.source)) missing.push(`deadlines[${i}] ${d.id}`);
        d.ladder.forEach((l, li) => isRuleId(l.source) || missing.push(`deadlines[${i}].ladder[${li}]`));
      });
      expect(missing).toEqual([]);
    });

    it('has exactly one final stage, the last one, and every other stage has an action', () => {
      expect(def.stages.filter((s) => s.final).map((s) => s.id)).toEqual(['closed']);
      expect(def.stages[def.stages.length - 1].final).toBe(true);
      expect(def.stages.filter((s) => !s.final && s.actions.length === 0).map((s) => s.id)).toEqual([]);
    });

    it('uses each action id once across the whole procedure', () => {
      const ids = def.stages.flatMap((s) => s.actions.map((a) => a.id));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('sends every rejection that needs a reason backwards', () => {
      const index = (id: string) => def.stages.findIndex((s) => s.id === id);
      const forwardWithReason = def.stages.flatMap((s, i) =>
        s.actions.filter((a) => a.needsReason && a.to !== undefined && index(a.to) > i).map((a) => a.id),
      );
      expect(forwardWithReason).toEqual([]);
    });
  });

  it('the reform plan follows the Anhui order of stages', () => {
    const [plan] = standardProcedures();
    expect(plan.stages.map((s) => s.id)).toEqual([
      'drafting',
      'research',
      'department_coordination',
      'public_consultation',
      'expert_consultation',
      'stability_assessment',
      'special_group_review',
      'legality_review',
      'reform_office_review',
      'executive_meeting',
      'leading_group_meeting',
      'standing_committee',
      'other_deliberation',
      'issuance',
      'filing',
      'implementation',
      'write_off',
      'closed',
    ]);
  });

  it('central integration always goes to the leading group and has no other deliberation', () => {
    const central = standardProcedures()[2];
    const byId = new Map(central.stages.map((s) => [s.id, s]));
    expect(byId.has('other_deliberation')).toBe(false);
    expect(byId.get('leading_group_meeting')?.when).toBeUndefined();
    expect(byId.get('leading_group_meeting')?.source).toBe('S1');
    expect(byId.get('reform_office_review')?.when).toBeUndefined();
    expect(central.deadlines.find((d) => d.id === 'matching_plan')).toMatchObject({
      from: { event: 'central_plan_issued' },
      within: { amount: 6, unit: 'months' },
      metBy: { event: 'issued' },
    });
  });

  it('the standard ladder is reminder, supervision, public naming, interview, each with a rule id', () => {
    const filing = REFORM_PLAN.deadlines.find((d) => d.id === 'filing')!;
    expect(filing.ladder.map((l) => [l.kind, l.trigger.type, l.source])).toEqual([
      ['reminder', 'beforeDue', 'Y9'],
      ['supervision', 'dueEnded', 'Y9'],
      ['public_naming', 'previousLimitEnded', 'A13'],
      ['interview', 'previousLimitEnded', 'A13'],
    ]);
  });

  it('legality review is required, directly or through a required stage, before every deliberation and issuance (A8)', () => {
    for (const def of [standardProcedures()[0], standardProcedures()[2]]) {
      const byId = new Map(def.stages.map((s) => [s.id, s]));
      const closure = (id: string, seen = new Set<string>()): Set<string> => {
        for (const r of byId.get(id)?.requires ?? []) if (!seen.has(r)) closure(r, seen.add(r));
        return seen;
      };
      const deliberations = def.stages.filter((s) => /meeting|committee|deliberation|issuance/.test(s.id)).map((s) => s.id);
      expect(deliberations.length).toBeGreaterThanOrEqual(4);
      expect(deliberations.filter((id) => !closure(id).has('legality_review'))).toEqual([]);
    }
  });

  it('importing the module compiles nothing: rules/standard is compiled on first use', () => {
    const compile = jest.fn(() => {
      throw new Error('compiled at import');
    });
    jest.isolateModules(() => {
      jest.doMock('@reform/rules', () => ({ ...jest.requireActual('@reform/rules'), compileRules: compile }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./index') as typeof import('./index');
      expect(compile).not.toHaveBeenCalled();
      expect(() => fresh.standardProcedures()).toThrow('compiled at import');
    });
    jest.dontMock('@reform/rules');
  });

  it('a typo in the rules folder fails only when asked, with the file and position of each error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-rules-'));
    try {
      cpSync(STANDARD_RULES_DIR, dir, { recursive: true });
      const file = join(dir, 'reform-plan.rules');
      const lines = readFileSync(file, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.startsWith('阶段'));
      lines[at] = lines[at].replace('阶段', '阶断');
      writeFileSync(file, lines.join('\n'));
      let thrown: unknown;
      try {
        standardProcedures(dir);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(StandardRulesError);
      expect((thrown as Error).message).toContain('标准规则有错误');
      expect((thrown as Error).message).toContain(`${file}:${at + 1}:1: error:`);
      // The shipped folder is untouched by the broken copy.
      expect(standardProcedures().map((d) => d.id)).toEqual(STANDARD_PROCEDURE_IDS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
