import { describe, expect, it } from '@jest/globals';
import { actionFields, filterProblems, libraryLabel, parseProblemFilters, problemFiltersQuery, problemHistory, problemsHref, PROBLEM_STATUS } from './problems';

// Expected words and rules from docs/api.md (the problem library) and issue 9 §3.
describe('the problem library’s pure logic', () => {
  it('labels the six statuses as the API documents them', () => {
    expect(Object.values(PROBLEM_STATUS).map((s) => s.label)).toEqual(['已挂号', '整改中', '待验收', '留号', '已销号', '已上交']);
  });

  it('asks for a reason to escalate or send back, a note to keep, evidence to cancel', () => {
    expect(actionFields('escalate')).toEqual({ reason: 'required', note: 'none', evidence: 'none' });
    expect(actionFields('send_back')).toEqual({ reason: 'required', note: 'none', evidence: 'none' });
    expect(actionFields('keep')).toEqual({ reason: 'none', note: 'required', evidence: 'none' });
    expect(actionFields('verify')).toEqual({ reason: 'none', note: 'none', evidence: 'required' });
    expect(actionFields('verify_kept').evidence).toBe('required');
    expect(actionFields('hand_over')).toEqual({ reason: 'none', note: 'none', evidence: 'none' });
    // The procedure may require a reason where the API does not.
    expect(actionFields('hand_over', true).reason).toBe('required');
  });

  it('keeps the filters in the URL and reads them back; unknown statuses are dropped', () => {
    const f = { status: 'rectifying' as const, unit: 'sf-ndrc', plan: 'p 1&2' };
    expect(problemFiltersQuery(f)).toBe('status=rectifying&unit=sf-ndrc&plan=p+1%262');
    expect(parseProblemFilters(`?${problemFiltersQuery(f)}`)).toEqual(f);
    expect(parseProblemFilters('status=lost&unit=')).toEqual({});
    expect(problemsHref()).toBe('#/problems');
    expect(problemsHref({ status: 'kept' })).toBe('#/problems?status=kept');
  });

  it('filters by rectifying unit and by plan', () => {
    const rows = [
      { id: 'a', against: { type: 'plan' as const, planId: 'p1', itemId: null, unitId: 'u1' } },
      { id: 'b', against: { type: 'item' as const, planId: 'p1', itemId: '2', unitId: 'u1' } },
      { id: 'c', against: { type: 'unit' as const, planId: null, itemId: null, unitId: 'u2' } },
    ];
    expect(filterProblems(rows, { plan: 'p1' }).map((r) => r.id)).toEqual(['a', 'b']);
    expect(filterProblems(rows, { unit: 'u2' }).map((r) => r.id)).toEqual(['c']);
    expect(filterProblems(rows, { unit: 'u2', plan: 'p1' })).toEqual([]);
    expect(filterProblems(rows, {})).toHaveLength(3);
  });

  it('names the library from the caller’s region (Y11: escalated problems sit one level up)', () => {
    expect(libraryLabel('/sf/jia/', '/sf/jia/')).toBe('本级问题库');
    expect(libraryLabel('/sf/', '/sf/jia/')).toBe('上级问题库');
    expect(libraryLabel('/sf/jia/', '/sf/')).toBe('下级问题库');
    expect(libraryLabel('/sf/yi/', '/sf/jia/')).toBe('其他地区问题库');
  });

  it('tells the history oldest first: found, registered, the letters, the deadlines, where it stands', () => {
    const h = problemHistory({
      number: '示范省问题〔2031〕1号',
      foundOn: '2031-03-01',
      registeredAt: '2031-03-02T02:00:00.000Z',
      letters: [{ letterId: 'l', number: '改办函〔2031〕4号', kind: 'rectification', subject: 's', body: 'b', addressees: [], copyTo: [], dueDate: '2031-05-02', limitDate: '2031-05-02', ruleId: 'A13', issuedOn: '2031-03-02' }],
      engine: { deadlines: [{ label: '整改期限', due: '2031-05-02', status: 'overdue', late: true }] },
      status: 'rectifying',
      statusLabel: '整改中',
      updatedAt: '2031-05-03T01:00:00.000Z',
      escalatedFromRegionPath: null,
      note: null,
      evidenceIds: [],
    });
    expect(h.map((e) => e.text)).toEqual(['发现问题', '挂号:示范省问题〔2031〕1号', '发出整改意见书 改办函〔2031〕4号(依据 A13)', '整改期限:已逾期', '当前状态:整改中']);
  });
});
