import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRules } from '@reform/procedures';
import { compileHolidays } from '@reform/rules';
import { editorRange, lintMarks, panelRows, panelSummary } from './diagnostics';

/**
 * The diagnostics panel and the editor's markers, from what the real checker says of files with
 * a mistake (the standard rules and the 2026 holiday file, spoilt on purpose).
 */
const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('diagnostics in the workbench', () => {
  const common = { name: 'common.rules', text: read('rules/standard/common.rules') };
  const good = read('rules/standard/pilot.rules');
  // Two mistakes: an unknown event, and a deadline in an unknown unit.
  const bad = good.replace('起算 pilot_ended', '起算 pilot_endd').replace('期限 6 个月', '期限 6 个越');
  const result = checkRules([common, { name: 'pilot.rules', text: bad }]);

  it('marks the very text the checker points at, in the file it names', () => {
    expect(result.ok).toBe(false);
    const marks = lintMarks('pilot.rules', bad, result.diagnostics);
    const marked = marks.map((m) => bad.slice(m.from, m.to));
    // 个越 is no unit: the lexer reads the whole word as unknown.
    expect(marked).toEqual(expect.arrayContaining(['pilot_endd', '个越']));
    // The same place from the line and column as from the offset the checker gives.
    for (const d of result.diagnostics.filter((x) => x.file === 'pilot.rules')) expect(editorRange(bad, d).from).toBe(d.offset);
    expect(lintMarks('common.rules', common.text, result.diagnostics)).toEqual([]);
    expect(marks.every((m) => m.source && /[\u4e00-\u9fff]/.test(m.message))).toBe(true);
  });

  it('lists them in the panel by file, line and column, in Chinese with their code', () => {
    const rows = panelRows(result.diagnostics, ['pilot.rules']);
    expect(rows.length).toBe(result.diagnostics.length);
    const lineOf = (needle: string) => bad.slice(0, bad.indexOf(needle)).split('\n').length;
    expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((a, b) => a - b));
    expect(rows.map((r) => r.line)).toEqual(expect.arrayContaining([lineOf('期限 6 个越'), lineOf('pilot_endd')]));
    for (const r of rows) {
      expect(r.where).toBe(`pilot.rules:${r.line}:${r.column}`);
      expect(r.severityLabel).toBe(r.severity === 'error' ? '错误' : '警告');
      expect(r.code).toMatch(/^[a-z][a-z0-9-]*$/);
    }
    expect(panelSummary(result.diagnostics)).toBe(`${result.diagnostics.filter((d) => d.severity === 'error').length} 处错误`);
    expect(panelSummary([])).toBe('没有发现问题');
  });

  it('puts the files in the order given, errors before warnings at one place', () => {
    const d = (file: string, line: number, severity: 'error' | 'warning') => ({ file, line, column: 1, offset: 0, length: 1, severity, code: 'x', message: '说明' });
    expect(panelRows([d('a.rules', 1, 'warning'), d('b.rules', 9, 'error'), d('a.rules', 1, 'error'), d('b.rules', 2, 'warning')], ['b.rules', 'a.rules']).map((r) => `${r.where} ${r.severityLabel}`)).toEqual([
      'b.rules:2:1 警告',
      'b.rules:9:1 错误',
      'a.rules:1:1 错误',
      'a.rules:1:1 警告',
    ]);
  });

  it('keeps a mark on its line when the text is shorter than the checker saw, and visible when it has no length', () => {
    const text = read('rules/calendar/2026.holidays');
    const broken = text.replace('2月23日', '2月30日');
    const { diagnostics } = compileHolidays(broken);
    expect(diagnostics.length).toBeGreaterThan(0);
    const first = diagnostics[0];
    const r = editorRange(broken, { line: first.range.line, column: first.range.column, length: first.range.length });
    expect(broken.slice(r.from, r.to)).toBe(broken.slice(first.range.offset, first.range.offset + Math.max(1, first.range.length)));
    expect(editorRange('ab\ncd', { line: 1, column: 9, length: 0 })).toEqual({ from: 1, to: 2 });
    expect(editorRange('ab\ncd', { line: 7, column: 1, length: 5 })).toEqual({ from: 3, to: 5 });
  });
});
