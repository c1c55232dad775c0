import { applyFilters, ledgerHref, ledgerQueryString, nextPage, parseLedgerQuery, withoutPage } from './ledger-query';

describe('the ledger page address (#/ledger?<query of GET /api/plans>)', () => {
  it('reads the filters of a query string, leaving out unknown and empty parameters', () => {
    expect(parseLedgerQuery('?level=province&overdue=true&colour=red&text=&stage=drafting')).toEqual({ level: 'province', overdue: 'true', stage: 'drafting' });
    expect(parseLedgerQuery('text=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&dueWithinDays=10')).toEqual({ text: '营商环境', dueWithinDays: '10' });
    expect(parseLedgerQuery('')).toEqual({});
  });

  it('writes them back in a fixed order, so the same filters make the same address', () => {
    const a = ledgerQueryString({ sort: 'title', level: 'city', text: '营商 环境' });
    const b = ledgerQueryString({ text: '营商 环境', level: 'city', sort: 'title' });
    expect(a).toBe(b);
    expect(a).toBe('text=%E8%90%A5%E5%95%86+%E7%8E%AF%E5%A2%83&level=city&sort=title');
    expect(parseLedgerQuery(a)).toEqual({ sort: 'title', level: 'city', text: '营商 环境' });
    expect(ledgerHref({})).toBe('#/ledger');
    expect(ledgerHref({ overdue: 'true', ruleId: 'A9' })).toBe('#/ledger?overdue=true&ruleId=A9');
  });

  it('starts again from the first page when a filter changes, and drops emptied filters', () => {
    const current = { level: 'province', text: '改革', cursor: 'abc', limit: '50' };
    expect(applyFilters(current, { text: '', overdue: 'true' })).toEqual({ level: 'province', overdue: 'true', limit: '50' });
    expect(applyFilters(current, { cursor: 'forged' })).toEqual({ level: 'province', text: '改革', limit: '50' });
  });

  it('pages by cursor and keeps the filters without the page for views and the export', () => {
    const page2 = nextPage({ level: 'city' }, 'c2');
    expect(page2).toEqual({ level: 'city', cursor: 'c2' });
    expect(withoutPage({ ...page2, limit: '20' })).toEqual({ level: 'city' });
  });
});
