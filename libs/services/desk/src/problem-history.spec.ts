import { problemHistoryDetails } from './problem-desk';

/** The history's lines from what desk-ledgers.ts and the letter store record (before/after of each audited act). */
describe('a problem’s history in Chinese', () => {
  const target = { type: 'problem', typeLabel: '问题', id: 'p', title: null };

  it('says what an escalation, a keeping and a sending back changed', () => {
    const pick = (status: string, library: string, extra: Record<string, unknown> = {}) => ({ status, library, limitDate: '2031-05-02', evidenceIds: [], note: null, ...extra });
    expect(problemHistoryDetails({ action: 'problem.escalate', target, before: pick('rectifying', '/sf/jia/'), after: { ...pick('rectifying', '/sf/'), reason: '涉及跨市协调' } })).toEqual(['转入上一级问题库', '理由:涉及跨市协调']);
    expect(problemHistoryDetails({ action: 'problem.keep', target, before: pick('verifying', '/sf/'), after: pick('kept', '/sf/', { note: '需跨年度推进' }) })).toEqual(['状态:待验收 → 留号', '情况说明:需跨年度推进']);
    expect(problemHistoryDetails({ action: 'problem.send_back', target, before: pick('verifying', '/sf/'), after: { ...pick('rectifying', '/sf/'), reason: '整改材料不全' } })).toEqual(['状态:待验收 → 整改中', '理由:整改材料不全']);
    // A handover sets the limit (written as users read dates).
    expect(problemHistoryDetails({ action: 'problem.hand_over', target, before: pick('registered', '/sf/', { limitDate: null }), after: pick('rectifying', '/sf/') })).toEqual(['状态:已挂号 → 整改中', '整改期限:2031年5月2日']);
  });

  it('names a letter by its kind and number, and a signing by the letter', () => {
    const letter = { type: 'letter', typeLabel: '函件', id: 'l', title: '改办函〔2031〕4号「关于督察发现问题的整改意见书」' };
    expect(problemHistoryDetails({ action: 'letter.issued', target: letter, before: null, after: { number: '改办函〔2031〕4号', kind: 'rectification' } })).toEqual(['整改意见书 改办函〔2031〕4号']);
    expect(problemHistoryDetails({ action: 'letter.signed', target: letter, before: { signedAt: null }, after: { unitId: 'sf-edu' } })).toEqual(['函件:改办函〔2031〕4号「关于督察发现问题的整改意见书」']);
    // Something unreadable says nothing rather than something wrong.
    expect(problemHistoryDetails({ action: 'problem.registered', target, before: null, after: 'not json' })).toEqual([]);
  });
});
