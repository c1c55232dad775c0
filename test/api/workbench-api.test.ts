import { addDays, addMonths, HolidayYear, localDateAt, mergeCalendars, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { printHolidayYear } from '@reform/rules';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWorkingDay, workingDaysAfter, yearOf } from '../support/dates';
import { DB_KINDS } from '../support/db';
import { call, HarnessApi, leaks, standardRulesFiles, startHarnessApi } from './support';

/**
 * The rules workbench's and the holiday calendar's routes (issue 10) over HTTP, on the Temporal
 * test server and both databases: format and explain for the reform office (the same code as
 * `reform rules fmt|explain`), and the calendar's list, check and load (as `reform calendar`).
 * Expected texts come from the sources: rules/standard is kept in the canonical layout, and
 * rules/calendar/2026.holidays lists the year's holidays and make-up working days.
 */
const ROOT = join(__dirname, '../..');
const HOLIDAYS_2026 = readFileSync(join(ROOT, 'rules/calendar/2026.holidays'), 'utf8');
const lines = (text: string, word: string) => text.split('\n').filter((l) => l.startsWith(`${word} `));

describe.each(DB_KINDS)('the workbench and calendar routes (%s)', (kind) => {
  let api: HarnessApi;
  beforeAll(async () => {
    api = await startHarnessApi(kind, { logins: ['sf-ndrc', 'sf-reform', 'jia-reform'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  const as = (user: string, method: string, path: string, body?: unknown) => call(api, method, path, { body, headers: { authorization: `Bearer ${api.tokens[user]}` } });
  const pilot = () => standardRulesFiles().find((f) => f.name === 'pilot.rules')!;

  it('formats and explains rules for the reform office only; a syntax error formats nothing', async () => {
    const original = pilot();
    // The standard file with its indentation and spacing spoilt: formatting gives the file back.
    const messy = original.text.replace(/\n {2}/g, '\n      ').replace(/期限 6 个月/, '期限   6   个月');
    expect(messy).not.toBe(original.text);
    const formatted = await as('sf-reform', 'POST', '/api/rules/format', { files: [{ name: 'pilot.rules', text: messy }] });
    expect(formatted.status).toBe(200);
    expect(formatted.json.files).toEqual([{ name: 'pilot.rules', text: original.text, changed: true }]);
    expect((await as('jia-reform', 'POST', '/api/rules/format', { files: [original] })).json.files).toEqual([{ name: 'pilot.rules', text: original.text, changed: false }]);
    expect((await as('sf-ndrc', 'POST', '/api/rules/format', { files: [original] })).status).toBe(403);

    // A line that does not parse: 422 at its line, nothing formatted.
    const broken = messy.replace('阶段 summary "总结报告"', '阶段 summary "总结报告');
    const line = broken.split('\n').findIndex((l) => l.startsWith('阶段 summary')) + 1;
    const refused = await as('sf-reform', 'POST', '/api/rules/format', { files: [{ name: 'pilot.rules', text: broken }] });
    expect(refused.status).toBe(422);
    expect(refused.json.error?.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'pilot.rules', line, severity: 'error' })]));
    expect(leaks(refused.text)).toEqual([]);

    // Explain: the pilot procedure in Chinese, naming its deadlines as the file titles them.
    const explained = await as('sf-reform', 'POST', '/api/rules/explain', { files: [original], procedure: 'pilot' });
    expect(explained.status).toBe(200);
    const [only] = explained.json.procedures as Array<{ id: string; title: string; text: string }>;
    expect(only).toEqual(expect.objectContaining({ id: 'pilot', title: '改革试点' }));
    expect(only.text).toContain('试点半年阶段性评估');
    expect(only.text).toContain('试点总结报告');
    const missing = await as('sf-reform', 'POST', '/api/rules/explain', { files: [original], procedure: 'reform_plan' });
    expect(missing.status).toBe(400);
    expect(missing.json.error?.issues).toEqual([expect.objectContaining({ path: 'procedure', message: expect.stringContaining('reform_plan') })]);
    expect((await as('sf-ndrc', 'POST', '/api/rules/explain', { files: [original] })).status).toBe(403);

    // The workbench checks one procedure with the shared declarations: roles that only other
    // procedures use (the legal office, in common.rules) are warned about only for a whole ruleset.
    const common = standardRulesFiles().find((f) => f.name === 'common.rules')!;
    const whole = await call(api, 'POST', '/api/rules/check', { body: { files: [common, original] } });
    expect(whole.status).toBe(200);
    expect(whole.json.diagnostics).toEqual([expect.objectContaining({ file: 'common.rules', code: 'role-never-acts', message: expect.stringContaining('legal_office') })]);
    const part = await call(api, 'POST', '/api/rules/check', { body: { files: [common, original], partial: true } });
    expect([part.status, part.json.diagnostics]).toEqual([200, []]);
  });

  it('lists, checks and loads the holiday calendar: errors at their line load nothing; loading is audited', async () => {
    // The years in force: 2026 as shipped.
    const before = await as('sf-reform', 'GET', '/api/calendar');
    expect(before.status).toBe(200);
    const shipped = (before.json.years as Array<{ year: number; loadedAt: string | null; holidays: unknown[]; workdays: unknown[] }>).find((y) => y.year === 2026);
    expect(shipped).toEqual(expect.objectContaining({ loadedAt: null }));
    expect((await as('sf-ndrc', 'GET', '/api/calendar')).status).toBe(403);

    // The shipped file checks: its holidays and make-up days (调休上班 lines name one or more days).
    const checked = await as('jia-reform', 'POST', '/api/calendar/check', { name: '2026.holidays', text: HOLIDAYS_2026 });
    expect(checked.status).toBe(200);
    const workdays = lines(HOLIDAYS_2026, '调休上班').flatMap((l) => l.split('、'));
    expect(checked.json.year).toEqual(expect.objectContaining({ year: 2026, holidays: expect.any(Array), workdays: expect.any(Array) }));
    expect((checked.json.year as { holidays: unknown[] }).holidays).toHaveLength(lines(HOLIDAYS_2026, '节假日').length);
    expect((checked.json.year as { workdays: unknown[] }).workdays).toHaveLength(workdays.length);

    // A day that does not exist: 422 at its line and column; loading it loads nothing.
    const broken = HOLIDAYS_2026.replace('节假日 春节 2月15日 至 2月23日', '节假日 春节 2月15日 至 2月30日');
    const at = broken.indexOf('2月30日');
    const line = broken.slice(0, at).split('\n').length;
    const column = at - broken.lastIndexOf('\n', at - 1);
    const bad = await as('sf-reform', 'POST', '/api/calendar/check', { name: '2026.holidays', text: broken });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: '2026.holidays', line, column, severity: 'error' })]));
    expect(bad.json.error?.message).toContain(`2026.holidays:${line}:${column}`);
    expect(leaks(bad.text)).toEqual([]);
    expect((await as('sf-reform', 'POST', '/api/calendar/load', { name: '2026.holidays', text: broken })).status).toBe(422);
    expect((await as('sf-reform', 'POST', '/api/calendar/check', { name: '../2026.holidays', text: HOLIDAYS_2026 })).json.error?.issues).toEqual([expect.objectContaining({ path: 'name' })]);

    // A plan running while the calendar is loaded: it is told (its month-counted deadline stays).
    const today = localDateAt(await api.h.env.currentTimeMs());
    const reg = await as('sf-ndrc', 'POST', '/api/plans', {
      procedure: 'pilot',
      title: '关于开展营商环境改革试点的方案',
      specialGroupId: 'sf-econ',
      responsibleLeader: '王副省长',
      responsiblePerson: '李明',
      startEvents: { pilot_started: today },
    });
    expect(reg.status).toBe(201);

    // Only the province's reform office loads; the city's is refused and nothing changes.
    expect((await as('jia-reform', 'POST', '/api/calendar/load', { name: '2026.holidays', text: HOLIDAYS_2026 })).status).toBe(403);
    const source = '国务院办公厅关于2026年部分节假日安排的通知(重新载入)';
    const reloaded = HOLIDAYS_2026.replace(/^依据 .*$/m, `依据 "${source}"`);
    const loaded = await as('sf-reform', 'POST', '/api/calendar/load', { name: '2026.holidays', text: reloaded });
    expect(loaded.status).toBe(201);
    expect(loaded.json).toEqual(expect.objectContaining({ replaced: false, plansNotified: true, moved: [] }));
    const after = (await as('sf-reform', 'GET', '/api/calendar')).json.years as Array<{ year: number; source: string; loadedAt: string | null }>;
    expect(after.find((y) => y.year === 2026)).toEqual(expect.objectContaining({ source, loadedAt: expect.any(String) }));
    const audit: Array<{ action: string; target_id: string }> = await api.h.db.ds.query(`SELECT action, target_id FROM audit_log WHERE action = 'calendar.loaded'`);
    expect(audit).toEqual([{ action: 'calendar.loaded', target_id: '2026' }]);
    // Loaded again: it replaces the year.
    expect((await as('sf-reform', 'POST', '/api/calendar/load', { name: '2026.holidays', text: reloaded })).json.replaced).toBe(true);
    // The plan still runs on its deadline: six months from its start.
    const why = await as('sf-ndrc', 'GET', `/api/plans/${String(reg.json.planId)}/why?deadline=phase_evaluation`);
    expect((why.json.deadlines as Array<{ due: string }>)[0].due).toBe(addMonths(today, 6).date);
  });

  it('moves the working-day deadlines of running plans when a year with a new holiday is loaded', async () => {
    // The pilot's half-year evaluation in working days (published as a new version), and a pilot started today on it.
    const edited = pilot().text.replace('期限 6 个月', '期限 20 个工作日');
    expect(edited).not.toBe(pilot().text);
    expect((await as('sf-reform', 'POST', '/api/rules/publish', { files: [{ name: 'pilot.rules', text: edited }] })).status).toBe(201);
    const today = localDateAt(await api.h.env.currentTimeMs());
    const reg = await as('sf-ndrc', 'POST', '/api/plans', { procedure: 'pilot', title: '关于开展工作日时限试点的方案', specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', startEvents: { pilot_started: today } });
    expect(reg.status).toBe(201);
    const planId = String(reg.json.planId);
    const due = async () => ((await as('sf-ndrc', 'GET', `/api/plans/${planId}/why?deadline=phase_evaluation`)).json.deadlines as Array<{ due: string }>)[0].due;
    const oldDue = workingDaysAfter(today, 20, SHIPPED_HOLIDAYS);
    expect(await due()).toBe(oldDue);

    // A weekday after today, declared a holiday in its year's file (the year as shipped, plus that day).
    let day = addDays(today, 1);
    while (!isWorkingDay(day, SHIPPED_HOLIDAYS) || [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
    const shipped = SHIPPED_HOLIDAYS.years.find((y) => y.year === yearOf(day));
    const year: HolidayYear = {
      year: yearOf(day),
      source: `${yearOf(day)}年节假日安排(增加一天)`,
      holidays: [...(shipped?.holidays ?? []), { name: '临时假日', from: day, to: day }].sort((a, b) => a.from.localeCompare(b.from)),
      workdays: shipped?.workdays ?? [],
    };
    const newDue = workingDaysAfter(today, 20, mergeCalendars(SHIPPED_HOLIDAYS, { years: [year] }));
    expect(newDue).not.toBe(oldDue);
    const loaded = await as('sf-reform', 'POST', '/api/calendar/load', { name: `${year.year}.holidays`, text: printHolidayYear(year) });
    expect(loaded.status).toBe(201);
    expect(loaded.json.moved).toEqual(expect.arrayContaining([expect.objectContaining({ workflowId: planId, from: oldDue, to: newDue })]));
    expect(await due()).toBe(newDue);
  });
});
