import { describe, expect, it } from '@jest/globals';
import { actionFields, filterProblems, handoverCheck, historyTone, historyWho, libraryLabel, parseProblemFilters, problemFiltersQuery, problemsHref, PROBLEM_STATUS } from './problems';

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

  it('colours and attributes the history’s entries (the engine’s letters are 系统’s)', () => {
    expect(['problem.registered', 'problem.hand_over', 'letter.issued', 'problem.send_back', 'problem.verify', 'problem.verify_kept'].map(historyTone)).toEqual(['gray', 'blue', 'blue', 'red', 'green', 'green']);
    expect(historyWho({ actor: null })).toBe('系统(流程引擎)');
    expect(historyWho({ actor: { name: '张三', unitId: 'sf-edu', unitName: '示范省教育厅' } })).toBe('示范省教育厅 张三');
    expect(historyWho({ actor: { name: null, unitId: 'x', unitName: null } })).toBe('其他单位');
  });

  it('lets several problems go in one 整改意见书 only when one unit rectifies them all, naming the units otherwise', () => {
    const p = (unitId: string) => ({ against: { type: 'unit' as const, planId: null, itemId: null, unitId } });
    const names = new Map([
      ['sf-edu', '示范省教育厅'],
      ['sf-ndrc', '示范省发展和改革委员会'],
    ]);
    expect(handoverCheck([p('sf-edu'), p('sf-edu')], names)).toEqual({ ok: true, unitId: 'sf-edu' });
    expect(handoverCheck([], names)).toEqual({ ok: false, message: '请先勾选要一并移交的问题' });
    const mixed = handoverCheck([p('sf-edu'), p('sf-ndrc'), p('jia-x')], names);
    expect(mixed.ok).toBe(false);
    expect(!mixed.ok && mixed.message).toBe('所选问题分属 3 个整改单位(示范省教育厅、示范省发展和改革委员会、其他单位):一份整改意见书只发给一个整改单位,请只勾选同一整改单位的问题');
  });
});
