import { DeliberationDesk, DeliberationSchedule } from '@reform/desk';
import { LedgerService } from '@reform/ledger';
import { SignIn, withDesk } from '../session';

type Options = SignIn & { json?: boolean };

/** The deliberation desk of the signed-in user, as the API's /api/deliberation-schedules builds it. */
function deliberation<T>(o: SignIn, work: (d: DeliberationDesk, caller: Parameters<DeliberationDesk['schedule']>[0]) => Promise<T>): Promise<T> {
  return withDesk(o, (desk, caller, _plans, s) => work(new DeliberationDesk({ desk, ledger: new LedgerService(s.db), definitions: s.definitions, audit: s.audit, db: s.db }), caller));
}

function print(s: DeliberationSchedule): void {
  const p = s.progress;
  console.log(`${s.year} 年度上会审议计划(截至 ${s.today}):共 ${p.total} 项,已审议 ${p.deliberated},已具备上会条件 ${p.ready},准备中 ${p.planned},会期已到未就绪 ${p.notReady}`);
  for (const m of s.meetings) {
    console.log(`\n${m.meetingDate}  ${m.title}  (会议编号 ${m.id})`);
    if (!m.plans.length) console.log('  (尚未列入方案)');
    for (const plan of m.plans) console.log(`  ${plan.central ? '[对接中央]' : '          '} ${plan.planId}  ${plan.title}  ${plan.stage?.label ?? '—'}  ${plan.statusLabel}${plan.status === 'not_ready' ? '  ⚠' : ''}`);
  }
  if (s.unscheduledCentral.length) {
    console.log('\n尚未列入本年度任何会议的中央改革方案对接方案(S1):');
    for (const plan of s.unscheduledCentral) console.log(`  ${plan.planId}  ${plan.title}  ${plan.stage.label}`);
  }
}

/** `reform deliberation show <year>`: the office's schedule of the year (DeliberationDesk.schedule, as GET /api/deliberation-schedules/{year}). */
export function deliberationShow(year: string, o: Options): Promise<number> {
  return deliberation(o, async (d, caller) => {
    const s = await d.schedule(caller, year);
    if (o.json) console.log(JSON.stringify(s, null, 2));
    else print(s);
    return 0;
  });
}

/** `reform deliberation meeting <year> <date> <title>`: a leading-group meeting added (as POST /api/deliberation-schedules/{year}/meetings). */
export function deliberationMeeting(year: string, meetingDate: string, title: string, o: Options): Promise<number> {
  return deliberation(o, async (d, caller) => {
    const m = await d.addMeeting(caller, year, { title, meetingDate });
    console.log(o.json ? JSON.stringify(m, null, 2) : `已安排 ${m.meetingDate} ${m.title}(会议编号 ${m.id})`);
    return 0;
  });
}

/** `reform deliberation list <meetingId> <planId>`: a plan listed for a meeting (as POST …/meetings/{meetingId}/plans). */
export function deliberationList(meetingId: string, planId: string, o: Options & { note?: string }): Promise<number> {
  return deliberation(o, async (d, caller) => {
    const s = await d.listPlan(caller, meetingId, { planId, ...(o.note ? { note: o.note } : {}) });
    if (o.json) console.log(JSON.stringify(s, null, 2));
    else print(s);
    return 0;
  });
}

/** `reform deliberation remove <meetingId> <planId>`: a plan taken off a meeting (as DELETE …/meetings/{meetingId}/plans/{planId}). */
export function deliberationRemove(meetingId: string, planId: string, o: Options): Promise<number> {
  return deliberation(o, async (d, caller) => {
    const s = await d.removePlan(caller, meetingId, planId);
    if (o.json) console.log(JSON.stringify(s, null, 2));
    else print(s);
    return 0;
  });
}
