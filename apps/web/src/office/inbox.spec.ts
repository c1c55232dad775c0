import { describe, expect, it } from '@jest/globals';
import { chasedDeadline, chinaDate, inboxOrder, letterSubjectHref, signingState } from './inbox';

const date = (d: string) => `D${d}`;
const time = (t: string) => `T${t}`;

// Issue 10: unsigned first; issue 9 §2: a letter not signed for within its limit is flagged.
describe('the inbox', () => {
  it('lists unsigned letters first (overdue ones foremost), then newest first', () => {
    const rows = [
      { number: 'a', issuedOn: '2031-03-05', signedAt: '2031-03-05T03:00:00Z', signOverdue: false },
      { number: 'b', issuedOn: '2031-03-01', signedAt: null, signOverdue: false },
      { number: 'c', issuedOn: '2031-03-04', signedAt: null, signOverdue: false },
      { number: 'd', issuedOn: '2031-02-01', signedAt: null, signOverdue: true },
      { number: 'e', issuedOn: '2031-03-06', signedAt: '2031-03-06T03:00:00Z', signOverdue: false },
    ];
    expect(inboxOrder(rows).map((r) => r.number)).toEqual(['d', 'c', 'b', 'e', 'a']);
  });

  it('says who signed and when, and flags a signing after the last day', () => {
    expect(signingState({ signedAt: '2031-03-03T16:30:00Z', signedByName: '张三', signBy: '2031-03-03', signOverdue: false }, date, time)).toEqual({
      text: '张三 于 T2031-03-03T16:30:00Z 签收(逾期签收)',
      color: 'orange',
      canSign: false,
      late: true,
    });
    // 23:59 in Beijing on the last day is still in time.
    expect(signingState({ signedAt: '2031-03-03T15:59:00Z', signedByName: null, signBy: '2031-03-03', signOverdue: false }, date, time).late).toBe(false);
    expect(signingState({ signedAt: null, signedByName: null, signBy: '2031-03-03', signOverdue: true }, date, time)).toEqual({ text: '逾期未签收(签收期限 D2031-03-03)', color: 'red', canSign: true, late: true });
    expect(signingState({ signedAt: null, signedByName: null, signBy: '2031-03-03', signOverdue: false }, date, time).text).toBe('待签收(签收期限 D2031-03-03)');
  });

  it('reads an instant as a date in China', () => {
    expect(chinaDate('2031-03-03T15:59:59Z')).toBe('2031-03-03');
    expect(chinaDate('2031-03-03T16:00:00Z')).toBe('2031-03-04');
  });

  it('links a letter to its plan, or to its problem', () => {
    expect(letterSubjectHref('p-1')).toBe('#/plans/p-1');
    expect(letterSubjectHref('problem-0f1e')).toBe('#/problems/0f1e');
    expect(letterSubjectHref('self-inspection-0f1e')).toBeNull();
  });

  it('says which deadline a letter chases, its due date now (and at issue when it moved), its state and light', () => {
    expect(chasedDeadline({ dueDate: '2031-05-02', deadline: { label: '整改期限', due: '2031-05-02', status: 'open' }, light: 'green' }, date)).toEqual({ label: '整改期限', dueText: '到期日 D2031-05-02', statusText: '办理中', light: 'green' });
    expect(chasedDeadline({ dueDate: '2031-05-02', deadline: { label: '出台配套方案', due: '2031-06-30', status: 'overdue' }, light: 'red' }, date)).toEqual({ label: '出台配套方案', dueText: '到期日 D2031-06-30(发函时为 D2031-05-02)', statusText: '已逾期', light: 'red' });
    expect(chasedDeadline({ dueDate: '2031-05-02', deadline: null, light: null }, date)).toEqual({ label: '所督时限', dueText: '到期日 D2031-05-02', statusText: null, light: null });
  });
});
