import { Plan, ProcessDefinitionSchema } from '@reform/definitions';
import { standardProcedure } from '@reform/procedures';
import { partiesFor } from './view';

const PILOT = standardProcedure('pilot');
const REFORM_PLAN = standardProcedure('reform_plan');

// The standard rules write to no participating unit; an office's own rules may, so the model keeps it.
const DEF = ProcessDefinitionSchema.parse({
  ...REFORM_PLAN,
  roles: [...REFORM_PLAN.roles, { id: 'participating_unit', label: '参与单位', addressee: { plan: 'participatingUnits' } }],
});

const PLAN: Plan = {
  title: '关于深化营商环境改革的实施方案',
  leadUnit: '市发展改革委',
  participatingUnits: ['市财政局', '市市场监管局'],
  responsibleLeader: '李四',
  responsiblePerson: '张三',
  specialGroup: '经济体制改革专项小组',
  goals: [],
};

describe('partiesFor', () => {
  it('maps every standard role to the name a letter is addressed to', () => {
    expect(partiesFor(DEF, PLAN, DEF.roles.map((r) => r.id))).toEqual([
      { role: 'reform_office', name: '改革办' },
      { role: 'leading_group', name: '改革领导小组' },
      { role: 'special_group', name: '经济体制改革专项小组' },
      { role: 'lead_unit', name: '市发展改革委' },
      { role: 'legal_office', name: '法制机构' },
      { role: 'all_units', name: '各有关单位' },
      { role: 'participating_unit', name: '市财政局、市市场监管局' },
    ]);
  });

  it('keeps the order asked for and repeats', () => {
    expect(partiesFor(DEF, PLAN, ['lead_unit', 'special_group', 'lead_unit']).map((p) => p.name)).toEqual(['市发展改革委', '经济体制改革专项小组', '市发展改革委']);
    expect(partiesFor(DEF, PLAN, [])).toEqual([]);
  });

  it('falls back to the role label when the plan names no participating unit', () => {
    expect(partiesFor(DEF, { ...PLAN, participatingUnits: [] }, ['participating_unit'])).toEqual([{ role: 'participating_unit', name: '参与单位' }]);
  });

  it('reads the names of the plan at hand', () => {
    const other = { ...PLAN, leadUnit: '市教育局', specialGroup: '社会事业改革专项小组' };
    expect(partiesFor(DEF, other, ['lead_unit', 'special_group'])).toEqual([
      { role: 'lead_unit', name: '市教育局' },
      { role: 'special_group', name: '社会事业改革专项小组' },
    ]);
  });

  it('uses the definition’s own roles (the pilot shares them)', () => {
    const pilot = ProcessDefinitionSchema.parse(PILOT);
    expect(partiesFor(pilot, PLAN, ['lead_unit', 'leading_group'])).toEqual([
      { role: 'lead_unit', name: '市发展改革委' },
      { role: 'leading_group', name: '改革领导小组' },
    ]);
  });

  it('uses the label for a role with no addressee, and a fixed name when one is given', () => {
    const def = ProcessDefinitionSchema.parse({
      ...REFORM_PLAN,
      roles: [
        { id: 'clerk', label: '经办人' },
        { id: 'inspector', label: '督察组', addressee: { name: '省委改革办督察组' } },
      ],
    });
    expect(partiesFor(def, PLAN, ['clerk', 'inspector'])).toEqual([
      { role: 'clerk', name: '经办人' },
      { role: 'inspector', name: '省委改革办督察组' },
    ]);
  });
});
