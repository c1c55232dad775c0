import { engineRolesFor, legalReviewStages, standardLegalReviewStages, UnitRef } from '@reform/identity';
import type { PlanScope, UnitKind } from '@reform/platform';
import { standardProcedures } from '@reform/procedures';

const unit = (id: string, kind: UnitKind, path: string): UnitRef => ({ id, kind, region: { path } });

const CITY = '/sc/cd/';
const OTHER_CITY = '/sc/my/';
const COUNTY = '/sc/cd/wh/';
const PROVINCE = '/sc/';

/** A plan of the city: led by its development and reform commission, in the economic group's area, the education bureau taking part. */
const PLAN: PlanScope = { regionPath: CITY, leadUnitId: 'cd-ndrc', specialGroupId: 'cd-econ', participatingUnitIds: ['cd-edu'] };

describe('engine roles from the unit’s relation to the plan (issue 8, “Units, people, roles and scope”)', () => {
  // "the plan's lead unit acts as lead_unit, its special group as special_group, the legal office of
  // its level as legal_office, the reform office of its level as reform_office, the leading group as
  // leading_group. A lead unit cannot pass its own legality review."
  it.each<[string, UnitRef, PlanScope, string[]]>([
    ['the lead unit', unit('cd-ndrc', 'department', CITY), PLAN, ['lead_unit']],
    ['its special group', unit('cd-econ', 'special_group', CITY), PLAN, ['special_group']],
    ['another special group of the level', unit('cd-social', 'special_group', CITY), PLAN, []],
    ['the legal office of its level', unit('cd-legal', 'legal_office', CITY), PLAN, ['legal_office']],
    ['the reform office of its level', unit('cd-reform', 'reform_office', CITY), PLAN, ['reform_office']],
    ['the leading group of its level', unit('cd-leading', 'leading_group', CITY), PLAN, ['leading_group']],
    ['a participating unit (reads, acts in no role)', unit('cd-edu', 'department', CITY), PLAN, []],
    ['another department of the level', unit('cd-finance', 'department', CITY), PLAN, []],
    ['the province’s reform office (another level)', unit('sc-reform', 'reform_office', PROVINCE), PLAN, []],
    ['the province’s legal office (another level)', unit('sc-legal', 'legal_office', PROVINCE), PLAN, []],
    ['the province’s leading group (another level)', unit('sc-leading', 'leading_group', PROVINCE), PLAN, []],
    ['a county reform office below', unit('wh-reform', 'reform_office', COUNTY), PLAN, []],
    ['another city’s legal office', unit('my-legal', 'legal_office', OTHER_CITY), PLAN, []],
    ['a special group when the plan names none', unit('cd-econ', 'special_group', CITY), { ...PLAN, specialGroupId: undefined }, []],
    // A lead unit cannot pass its own legality review: the legal office leading a plan of its level is lead_unit only.
    ['the legal office when it leads the plan', unit('cd-legal', 'legal_office', CITY), { ...PLAN, leadUnitId: 'cd-legal' }, ['lead_unit']],
    // The reform office drafting a plan of its own level leads it and is still that level's reform office.
    ['the reform office when it leads the plan', unit('cd-reform', 'reform_office', CITY), { ...PLAN, leadUnitId: 'cd-reform' }, ['lead_unit', 'reform_office']],
  ])('%s', (_what, u, plan, expected) => {
    expect(engineRolesFor(u, plan)).toEqual(expected);
  });

  it('never gives legal_office to the plan’s lead unit, whatever the directory says it is', () => {
    for (const kind of ['legal_office', 'department', 'reform_office', 'special_group', 'leading_group'] as UnitKind[]) {
      expect(engineRolesFor(unit('x', kind, CITY), { ...PLAN, leadUnitId: 'x' })).not.toContain('legal_office');
    }
  });
});

describe('the legal office’s review stages', () => {
  it('are the stages of rules/standard where legal_office acts: legality_review (合法合规性审查)', () => {
    // rules/standard/reform-plan.rules and central-integration.rules: 阶段 legality_review … 动作 pass_legality_review … 由 legal_office.
    expect(standardLegalReviewStages()).toEqual(['legality_review']);
    expect(legalReviewStages(standardProcedures().filter((d) => d.id === 'pilot'))).toEqual([]);
  });
});
