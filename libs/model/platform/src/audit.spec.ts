import { auditActionLabel, auditTargetLabel } from './audit';

describe('audit codes as users read them', () => {
  it('names the acts the product records in Chinese', () => {
    expect(auditActionLabel('plan.registered')).toBe('登记方案');
    expect(auditActionLabel('letter.issued')).toBe('发出函件');
    expect(auditActionLabel('auth.login_failed')).toBe('登录失败');
    expect(auditActionLabel('problem.hand_over')).toBe('问题移交整改');
  });
  it('reads a code not listed by its object, never showing the code', () => {
    expect(auditActionLabel('plan.something_new')).toBe('方案相关操作');
    expect(auditActionLabel('calendar.loaded')).toBe('节假日日历相关操作');
    expect(auditActionLabel('zzz.yyy')).toBe('其他相关操作');
    expect(auditTargetLabel('letter')).toBe('函件');
    expect(auditTargetLabel('unknown_kind')).toBe('其他');
  });
});
