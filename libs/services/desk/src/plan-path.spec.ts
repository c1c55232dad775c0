import { ProcessDefinitionSchema } from '@reform/definitions';
import { planPath } from './plan-path';

// A procedure of four stages: the review applies only to major plans (适用 major).
const def = ProcessDefinitionSchema.parse({
  id: 'p',
  version: 1,
  title: '示例流程',
  source: 'A5',
  roles: [
    { id: 'lead_unit', label: '牵头单位' },
    { id: 'reform_office', label: '改革办' },
  ],
  attributes: [{ id: 'major', label: '重大改革' }],
  stages: [
    { id: 'drafting', label: '方案起草', source: 'A5', actions: [{ id: 'submit', label: '提交', roles: ['lead_unit'], to: 'review' }] },
    { id: 'review', label: '改革办审核', source: 'A8', when: { attr: 'major' }, actions: [{ id: 'pass', label: '审核通过', roles: ['reform_office'], to: 'issuance' }, { id: 'reject', label: '退回', roles: ['reform_office'], to: 'drafting', needsReason: true }] },
    { id: 'issuance', label: '印发出台', actions: [{ id: 'issue', label: '印发', roles: ['lead_unit'], to: 'done' }, { id: 'update_item', label: '登记或更新事项', roles: ['lead_unit'], item: 'upsert' }] },
    { id: 'done', label: '已办结', final: true },
  ],
});

describe('planPath: the guided procedure of one plan', () => {
  it('marks the stages passed, current and ahead, and whose actions are the caller\'s', () => {
    const path = planPath(def, { major: true }, 'review', ['lead_unit']);
    expect(path.map((s) => [s.id, s.state])).toEqual([
      ['drafting', 'passed'],
      ['review', 'current'],
      ['issuance', 'ahead'],
      ['done', 'ahead'],
    ]);
    expect(path[1]).toEqual(
      expect.objectContaining({
        source: 'A8',
        notApplicable: null,
        actions: [
          { action: 'pass', label: '审核通过', roles: [{ id: 'reform_office', label: '改革办' }], mine: false, needsReason: false, item: false },
          { action: 'reject', label: '退回', roles: [{ id: 'reform_office', label: '改革办' }], mine: false, needsReason: true, item: false },
        ],
      }),
    );
    expect(path[2].actions.map((a) => [a.action, a.mine, a.item])).toEqual([
      ['issue', true, false],
      ['update_item', true, true],
    ]);
  });

  it('greys out a stage whose condition the plan does not meet, saying why in Chinese', () => {
    const path = planPath(def, { major: false }, 'drafting', ['lead_unit']);
    expect(path.map((s) => s.state)).toEqual(['current', 'skipped', 'ahead', 'ahead']);
    expect(path[1].notApplicable).toBe('本方案不适用:仅适用于重大改革的方案');
  });
});
