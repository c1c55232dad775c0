import { describe, expect, it } from '@jest/globals';
import { letterSeries, progressSeries, rateText, trendSeries } from './series';

// Inputs are answers shaped as GET /api/dashboard/* documents them (docs/api.md); the expected
// series are written out by hand from those inputs.
describe('the board’s chart series', () => {
  const light = (red: number, yellow: number, green: number) => ({ red, yellow, green });
  const row = (key: string | null, label: string, lights: { red: number; yellow: number; green: number }) => ({
    key,
    label,
    plans: lights.red + lights.yellow + lights.green,
    open: 0,
    closed: 0,
    items: 0,
    itemsCompleted: 0,
    lights,
  });

  it('stacks progress by light: red, yellow, green per row, named in Chinese', () => {
    const s = progressSeries([row('sf-ndrc', '示范省发展和改革委员会', light(1, 1, 1)), row('sf-edu', '示范省教育厅', light(0, 1, 1)), row(null, '未指定', light(2, 0, 0))]);
    expect(s.categories).toEqual(['示范省发展和改革委员会', '示范省教育厅', '未指定']);
    expect(s.keys).toEqual(['sf-ndrc', 'sf-edu', null]);
    expect(s.series.map((x) => [x.light, x.name, x.data])).toEqual([
      ['red', '红灯(逾期)', [1, 0, 2]],
      ['yellow', '黄灯(临近到期或进度落后)', [1, 1, 0]],
      ['green', '绿灯', [1, 1, 0]],
    ]);
  });

  it('lays letters out over the twelve months of the year, a series per kind, months without letters at 0', () => {
    const s = letterSeries(2031, [
      { month: '2031-02', kind: 'reminder', kindLabel: '提醒函', count: 3 },
      { month: '2031-02', kind: 'supervision', kindLabel: '督办函', count: 1 },
      { month: '2031-11', kind: 'reminder', kindLabel: '提醒函', count: 2 },
      // Another year's row (not asked for) is left out.
      { month: '2030-12', kind: 'reminder', kindLabel: '提醒函', count: 9 },
    ]);
    expect(s.months).toHaveLength(12);
    expect(s.labels[0]).toBe('2031年1月');
    expect(s.labels[11]).toBe('2031年12月');
    expect(s.series).toEqual([
      { kind: 'reminder', name: '提醒函', data: [0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0] },
      { kind: 'supervision', name: '督办函', data: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(s.total).toBe(6);
  });

  it('draws trends as three lines by month', () => {
    const s = trendSeries([
      { month: '2031-10', itemsCompleted: 4, letters: 1, problemsFound: 0 },
      { month: '2031-11', itemsCompleted: 0, letters: 2, problemsFound: 3 },
    ]);
    expect(s.labels).toEqual(['2031年10月', '2031年11月']);
    expect(s.series).toEqual([
      { name: '完成事项', data: [4, 0] },
      { name: '发出函件', data: [1, 2] },
      { name: '发现问题', data: [0, 3] },
    ]);
  });

  it('writes rates as users read them', () => {
    expect(rateText(62.5)).toBe('62.5%');
    expect(rateText(0)).toBe('0%');
    expect(rateText(null)).toBe('—');
  });
});
