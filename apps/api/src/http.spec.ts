import { loggablePath } from './http';

describe('loggablePath', () => {
  it('logs a path without secret-looking query keys as it is', () => {
    expect(loggablePath('/api/plans?stage=drafting&limit=20')).toBe('/api/plans?stage=drafting&limit=20');
    expect(loggablePath('/api/plans/p-1')).toBe('/api/plans/p-1');
  });

  it('masks the values of secret-looking keys, also when the key is percent-encoded', () => {
    expect(loggablePath('/api/x?a=1&token=abc')).toBe('/api/x?a=1&token=***');
    expect(loggablePath('/api/x?Password=hunter2&b=2')).toBe('/api/x?Password=***&b=2');
    expect(loggablePath('/api/x?%74oken=abc')).toBe('/api/x?token=***');
    expect(loggablePath('/api/x?session_id=s1')).toBe('/api/x?session_id=***');
  });
});
