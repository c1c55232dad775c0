import { formatChineseDate, HolidayYear } from '@reform/calendar';
import { CalendarStore, LedgerStore } from '@reform/persistence';
import { CalendarDesk, checkHolidayFile } from '@reform/desk';
import { printDiagnostics, summarize } from '@reform/rules';
import { UserError } from '@reform/config';
import { readFileSync } from 'node:fs';
import { withDatabase } from '../context';
import { SignIn, withDesk } from '../session';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`读不到文件 ${file}`);
  }
}

/**
 * A year's arrangements, checked (the same check as the API's calendar routes): a `.holidays`
 * text file (rules/calendar/2026.holidays) with its problems printed as `file:line:col` and the
 * caret under them, or the older JSON format. Undefined when there are errors (already printed):
 * nothing is to be loaded.
 */
function checked(file: string): { year?: HolidayYear; text: string } {
  const text = readText(file);
  const { year, diagnostics } = checkHolidayFile(file, text);
  if (diagnostics.length) console.error(`${printDiagnostics(file, text, diagnostics)}\n\n检查 ${file}:${summarize(diagnostics)}${year ? '。' : '。未载入任何内容。'}`);
  return { year, text };
}

export async function calendarCheck(file: string): Promise<number> {
  const { year } = checked(file);
  if (!year) return 1;
  const days = year.holidays.length;
  console.log(`${file}: ${year.year}年节假日安排无误:${days} 个假期,${year.workdays.length} 个调休上班日。`);
  return 0;
}

/**
 * Loads a checked year as the province's reform office, through the API's CalendarDesk (signed
 * in, audited in the load's transaction), then tells every running plan. A file with errors is
 * refused before anyone signs in and loads nothing.
 */
export async function calendarLoad(file: string, o: SignIn = {}): Promise<number> {
  const { year, text } = checked(file);
  if (!year) return 1;
  return withDesk(o, async (_desk, caller, plans, s) => {
    const calendar = new CalendarDesk({ accounts: s.accounts, audit: s.audit, store: new CalendarStore(s.db), ledger: new LedgerStore(s.db), plans });
    const loaded = await calendar.load(caller, file, text);
    console.log(`已${loaded.replaced ? '更新' : '载入'} ${loaded.year.year} 年节假日安排(${loaded.year.source}),已记入审计。`);
    console.log(`已通知运行中的方案;${loaded.moved.length} 个时限的截止日期随之调整。`);
    for (const m of loaded.moved) console.log(`  ${m.workflowId} ${m.key}:${formatChineseDate(m.from)} → ${formatChineseDate(m.to)}`);
    return 0;
  });
}

export async function calendarList(): Promise<number> {
  return withDatabase(async (db) => {
    const calendar = await new CalendarStore(db).calendar();
    for (const y of calendar.years) {
      console.log(`${y.year}年:${y.source}`);
      for (const h of y.holidays) console.log(`  ${h.name} ${h.from} 至 ${h.to}`);
      for (const w of y.workdays) console.log(`  ${w.name} ${w.date} 上班`);
    }
    return 0;
  });
}
