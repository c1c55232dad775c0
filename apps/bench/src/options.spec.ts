import { parseApiOptions } from './api-options';
import { parseWebOptions } from './web-options';

// The defaults as each bench's usage text promises them (API_USAGE, WEB_USAGE).
describe('the options bench:api and bench:web share', () => {
  it('bench:api: 10,000 plans, 10 items each, both databases, 200 samples; --quick 1,000 and 30', () => {
    expect(parseApiOptions([])).toMatchObject({ plans: 10000, items: 100000, databases: ['sqlite', 'postgres'], samples: 200, walk: 100, lagPlans: 10, concurrency: 8, port: 17433, uiPort: 18433, outDir: 'bench-results' });
    expect(parseApiOptions(['--quick'])).toMatchObject({ plans: 1000, items: 10000, samples: 30, walk: 10, lagPlans: 2 });
  });

  it('bench:web: SQLite, 20 samples after 2 warm-up rounds, Debian Chromium; --quick 5 and 1', () => {
    expect(parseWebOptions([])).toMatchObject({ plans: 10000, items: 100000, databases: ['sqlite'], samples: 20, warmup: 2, chromium: '/usr/bin/chromium', port: 17533, uiPort: 18533 });
    expect(parseWebOptions(['--quick', '--db', 'postgres,sqlite,postgres'])).toMatchObject({ plans: 1000, samples: 5, warmup: 1, databases: ['postgres', 'sqlite'] });
  });

  it('refuses what it cannot read, in Chinese', () => {
    expect(() => parseWebOptions(['--samples', '0'])).toThrow('--samples 应为不小于 1 的整数,收到:0');
    expect(() => parseApiOptions(['--db', 'mysql'])).toThrow('--db 只认 sqlite、postgres,收到:mysql');
    expect(() => parseApiOptions(['--chromium', 'x'])).toThrow();
  });
});
