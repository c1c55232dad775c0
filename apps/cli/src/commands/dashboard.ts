import { DashboardDesk } from '@reform/desk';
import { LedgerService } from '@reform/ledger';
import { SignIn, withDesk } from '../session';

export interface DashboardOptions extends SignIn {
  by?: string;
  year?: string;
  months?: string;
}

const lights = (c: { red: number; yellow: number; green: number }) => `红 ${c.red} · 黄 ${c.yellow} · 绿 ${c.green}`;
const percent = (v: number | null) => (v === null ? '—' : `${v}%`);

/**
 * `reform dashboard`: the dashboards' numbers for the signed-in user, through the same
 * DashboardDesk as GET /api/dashboard/... (the same scope: a city's office sees its city).
 */
export async function dashboard(o: DashboardOptions): Promise<number> {
  return withDesk(o, async (desk, caller, _plans, { db }) => {
    const board = new DashboardDesk({ desk, ledger: new LedgerService(db) });
    const l = await board.lights(caller);
    console.log(`亮灯(${l.today}):方案 ${lights(l.plans)};事项 ${lights(l.items)}`);
    const progress = await board.progress(caller, { by: o.by as 'unit' | undefined });
    console.log(`落实进度(按${{ unit: '牵头单位', area: '专项小组', level: '层级' }[progress.by]}):`);
    for (const r of progress.rows) console.log(`  ${r.label}:方案 ${r.plans}(办理中 ${r.open},已办结 ${r.closed}),事项 ${r.itemsCompleted}/${r.items} 已完成;${lights(r.lights)}`);
    const s4 = await board.indicators(caller, { year: o.year });
    console.log(`${s4.year}年量化指标(S4,计至 ${s4.asOf}):时限 ${s4.deadlines},按期完成 ${s4.deadlinesOnSchedule}(${percent(s4.onScheduleRate)});事项 ${s4.items},已完成 ${s4.itemsCompleted}(${percent(s4.completionRate)})`);
    const p = await board.problems(caller);
    console.log(`问题库:未销号 ${p.open},留号 ${p.kept},已销号 ${p.cancelled},已上交 ${p.escalated}`);
    const letters = await board.letters(caller, { year: o.year });
    console.log(`${letters.year}年函件:${letters.rows.length ? letters.rows.map((r) => `${r.month} ${r.kindLabel} ${r.count}`).join(';') : '无'}`);
    const trends = await board.trends(caller, { months: o.months });
    console.log('按月趋势(完成事项 / 发函 / 发现问题):');
    for (const t of trends.rows) console.log(`  ${t.month}:${t.itemsCompleted} / ${t.letters} / ${t.problemsFound}`);
    return 0;
  });
}
