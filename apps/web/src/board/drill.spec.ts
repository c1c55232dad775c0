import { describe, expect, it } from '@jest/globals';
import { ledgerHref, progressFilters } from './drill';

// The expected strings are GET /api/plans's query parameters as docs/api.md lists them
// (leadUnit, area, level, light, overdue, dueWithinDays …), written out by hand.
describe('drill-down links from the board to the ledger', () => {
  it('writes the filters as the query string of GET /api/plans, in the order the ledger page writes them', () => {
    expect(ledgerHref({ light: 'red', leadUnit: 'sf-ndrc' })).toBe('#/ledger?leadUnit=sf-ndrc&light=red');
    expect(ledgerHref({ dueWithinDays: 7, overdue: false, level: 'city' })).toBe('#/ledger?level=city&overdue=false&dueWithinDays=7');
    expect(ledgerHref({ overdue: true })).toBe('#/ledger?overdue=true');
  });

  it('leaves out empty values and encodes what a URL cannot carry as is', () => {
    expect(ledgerHref({ text: '营商 环境&改革', unit: undefined, area: '' })).toBe('#/ledger?text=%E8%90%A5%E5%95%86+%E7%8E%AF%E5%A2%83%26%E6%94%B9%E9%9D%A9');
    expect(ledgerHref({})).toBe('#/ledger');
    expect(ledgerHref()).toBe('#/ledger');
  });

  it('drills a progress row by the key the dashboard grouped on: lead unit, special group or level', () => {
    expect(progressFilters('unit', 'sf-ndrc')).toEqual({ leadUnit: 'sf-ndrc' });
    expect(progressFilters('area', 'sf-econ', 'yellow')).toEqual({ area: 'sf-econ', light: 'yellow' });
    expect(ledgerHref(progressFilters('level', 'province', 'red')!)).toBe('#/ledger?level=province&light=red');
    // Plans without a lead unit or group: the ledger has no filter for them.
    expect(progressFilters('unit', null)).toBeNull();
  });
});
