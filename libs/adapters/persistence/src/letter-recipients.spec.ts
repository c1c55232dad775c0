import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { backoffMs } from './outbox-store';
import { resolveRecipients, signBy } from './letter-recipients';

const PLAN = {
  scope: { regionPath: '/sf/', leadUnitId: 'sf-ndrc', specialGroupId: 'sf-econ', participatingUnitIds: ['sf-edu', 'sf-fin'] },
  units: { leadUnit: '示范省发展和改革委员会', specialGroup: '示范省经济体制改革专项小组', participatingUnits: ['示范省教育厅', '示范省财政厅'] },
};

describe('resolveRecipients', () => {
  it('finds the units of the plan by the names the parties carry: lead unit and participants addressed, the group copied', () => {
    const r = resolveRecipients(
      PLAN,
      [
        { role: 'lead_unit', name: '示范省发展和改革委员会' },
        { role: 'participating_unit', name: '示范省教育厅、示范省财政厅' },
      ],
      [{ role: 'special_group', name: '示范省经济体制改革专项小组' }],
    );
    expect(r.recipients).toEqual([
      { unitId: 'sf-ndrc', relation: 'to' },
      { unitId: 'sf-edu', relation: 'to' },
      { unitId: 'sf-fin', relation: 'to' },
      { unitId: 'sf-econ', relation: 'cc' },
    ]);
    expect(r.cc).toEqual([{ role: 'special_group', name: '示范省经济体制改革专项小组', unitIds: ['sf-econ'] }]);
  });

  it('reaches no unit for parties that are none (改革领导小组, 各有关单位) or a plan without unit ids; a unit addressed and copied is addressed', () => {
    expect(resolveRecipients(PLAN, [{ role: 'all_units', name: '各有关单位' }], [{ role: 'leading_group', name: '改革领导小组' }]).recipients).toEqual([]);
    expect(resolveRecipients({ ...PLAN, scope: null }, [{ role: 'lead_unit', name: '示范省发展和改革委员会' }], []).recipients).toEqual([]);
    expect(resolveRecipients(null, [{ role: 'lead_unit', name: '示范省发展和改革委员会' }], []).recipients).toEqual([]);
    const both = resolveRecipients(PLAN, [{ role: 'lead_unit', name: '示范省发展和改革委员会' }], [{ role: 'lead_unit', name: '示范省发展和改革委员会' }]);
    expect(both.recipients).toEqual([{ unitId: 'sf-ndrc', relation: 'to' }]);
  });
});

describe('signBy', () => {
  // From 国务院办公厅关于2026年部分节假日安排的通知: the Spring Festival holiday runs 15–23 February;
  // Saturday 14 February is a make-up working day (调休).
  it('counts working days past weekends and holidays', () => {
    // Monday → Wednesday; Friday → (weekend) → Tuesday.
    expect(signBy('2026-03-09', 2, SHIPPED_HOLIDAYS)).toBe('2026-03-11');
    expect(signBy('2026-03-13', 2, SHIPPED_HOLIDAYS)).toBe('2026-03-17');
    // Friday 13 February: Saturday 14th (调休) is the first, Tuesday 24th after the holiday the second.
    expect(signBy('2026-02-13', 2, SHIPPED_HOLIDAYS)).toBe('2026-02-24');
  });
});

describe('backoffMs', () => {
  it('doubles from the base with each failure, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 5_000, 60_000))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
