import { planRuns, waves } from './scale-load';
import { parseScaleOptions } from './scale-options';

describe('bench:scale waves and options', () => {
  it('puts the filing deadlines in the six months up to the latest 30 June before today, June the peak with half the plans', () => {
    // After 30 June the round of this year; before it, last year's.
    for (const [today, year] of [
      ['2026-12-01', 2026],
      ['2026-07-01', 2026],
      ['2026-06-30', 2025],
      ['2027-03-15', 2026],
    ] as const) {
      const ws = waves(today);
      expect(ws.map((w) => w.dueMonth)).toEqual([1, 2, 3, 4, 5, 6].map((m) => `${year}-0${m}`));
      // Filing is due one month after issue (A9): issued on 30 May for 30 June, the month's last day when it has no 30th.
      expect(ws.map((w) => w.issuedOn)).toEqual([`${year - 1}-12-30`, `${year}-01-30`, `${year}-02-${year % 4 === 0 ? 29 : 28}`, `${year}-03-30`, `${year}-04-30`, `${year}-05-30`]);
      expect(ws.map((w) => w.share)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.5]);
      for (const w of ws) expect(w.issuedOn < today).toBe(true);
    }
  });

  it('spreads the plans over the waves and walks the asked share of each', () => {
    const runs = planRuns(300, waves('2026-12-01'), 0.3);
    expect([0, 1, 2, 3, 4, 5].map((w) => runs.filter((r) => r.wave === w).length)).toEqual([30, 30, 30, 30, 30, 150]);
    expect(runs.filter((r) => r.walked).length).toBe(90);
    expect([0, 5].map((w) => runs.filter((r) => r.wave === w && r.walked).length)).toEqual([9, 45]);
    expect(planRuns(10, waves('2026-12-01'), 1).every((r) => r.walked)).toBe(true);
  });

  it('refuses options it cannot read, in Chinese', () => {
    expect(() => parseScaleOptions(['--faults', 'worker,disk'])).toThrow('--faults 只认 none 或 worker、history、postgres,收到:disk');
    expect(() => parseScaleOptions(['--walk-share', '2'])).toThrow('--walk-share 应为 0 到 1 之间的数,收到:2');
    expect(() => parseScaleOptions(['--postgres-cluster', 'main'])).toThrow('--postgres-cluster 应为 版本/名称(如 15/main),收到:main');
    const o = parseScaleOptions(['--quick', '--faults', 'none']);
    expect(o !== 'help' && [o.plans, o.walkShare, o.faults.size]).toEqual([300, 1, 0]);
    const d = parseScaleOptions([]);
    expect(d !== 'help' && [d.plans, [...d.faults]]).toEqual([10_000, ['worker', 'history', 'postgres']]);
  });
});
