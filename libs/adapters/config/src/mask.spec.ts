import { maskPassword } from './mask';

describe('maskPassword', () => {
  it.each([
    ['postgres://reform:secret@db.example:5432/reform', 'postgres://reform:***@db.example:5432/reform'],
    // The old mask /:[^:@/]*@/ printed "postgres://reform:pa:***@…", showing "pa".
    ['postgres://reform:pa:ss@db.example:5432/reform', 'postgres://reform:***@db.example:5432/reform'],
    ['postgres://reform:p@ss:w@rd@db.example/reform', 'postgres://reform:***@db.example/reform'],
    ['postgresql://reform::@@db.example/reform', 'postgresql://reform:***@db.example/reform'],
    ['mysql://root:a/b:c@host/db', 'mysql://root:***@host/db'],
  ])('%s → %s', (url, masked) => {
    expect(maskPassword(url)).toBe(masked);
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskPassword('postgres://reform@db.example/reform')).toBe('postgres://reform@db.example/reform');
    expect(maskPassword('postgres://db.example/reform')).toBe('postgres://db.example/reform');
  });

  it('hides everything before the @ when there is no scheme', () => {
    expect(maskPassword('reform:se:cret@db.example/reform')).toBe('***@db.example/reform');
  });
});
