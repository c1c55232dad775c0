import { isLocalDate } from '@reform/calendar';
import { ItemStatus, ItemStatusSchema } from '@reform/definitions';
import { NotFoundError, UserError } from '@reform/config';
import { formatLedgerRow, formatPlan } from '../format';
import { SignIn, withDesk } from '../session';

export interface RegisterOptions extends SignIn {
  procedure: string;
  title: string;
  leader: string;
  person: string;
  group: string;
  units?: string;
  attr?: string;
  registeredOn?: string;
  event?: string[];
  id?: string;
}

const list = (s?: string) => (s ? s.split(/[,,、]/).map((x) => x.trim()).filter(Boolean) : []);

/** `reform plan register`: a plan led by the signed-in user's unit (PlanDesk.register, as POST /api/plans). */
export async function planRegister(o: RegisterOptions): Promise<number> {
  const startEvents: Record<string, string> = {};
  for (const e of o.event ?? []) {
    const [name, date] = e.split('=');
    if (!name || !date || !isLocalDate(date)) throw new UserError(`--event ${e}:应写成 事件=YYYY-MM-DD,例如 central_plan_issued=2026-05-01`);
    startEvents[name] = date;
  }
  return withDesk(o, async (desk, caller) => {
    const { planId, procedure } = await desk.register(caller, {
      procedure: o.procedure,
      id: o.id,
      title: o.title,
      specialGroupId: o.group,
      participatingUnitIds: list(o.units),
      responsibleLeader: o.leader,
      responsiblePerson: o.person,
      attributes: Object.fromEntries(list(o.attr).map((a) => [a, true])),
      registeredOn: o.registeredOn,
      startEvents,
    });
    console.log(`已登记:${o.title}`);
    console.log(`编号:${planId}(${procedure.title} 第${procedure.version}版)`);
    console.log(`查看:npx reform plan show ${planId}`);
    return 0;
  });
}

export interface ActOptions extends SignIn {
  date?: string;
  reason?: string;
  item?: string;
  itemTitle?: string;
  itemStatus?: string;
  json?: boolean;
}

/** `reform plan act`: an action in the role the user's unit holds on the plan (PlanDesk.act, as POST /api/plans/{id}/actions). */
export async function planAct(id: string, action: string, o: ActOptions): Promise<number> {
  let status: ItemStatus | undefined;
  if (o.itemStatus) {
    const parsed = ItemStatusSchema.safeParse(o.itemStatus);
    if (!parsed.success) throw new UserError(`--item-status ${o.itemStatus}:应为 not_started(未启动)、started(已启动未完成)或 completed(已完成)`);
    status = parsed.data;
  }
  return withDesk(o, async (desk, caller) => {
    const result = await desk.act(caller, id, {
      action,
      businessDate: o.date,
      reason: o.reason,
      item: o.item ? { id: o.item, title: o.itemTitle, status } : undefined,
    });
    // The Update answers only what changed; the clerk sees the whole plan, as read after it,
    // unless the act took it out of their unit's sight (the legal office once review is passed).
    const live = await desk.live(caller, id).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
    if (o.json) console.log(JSON.stringify({ result, ...live }, null, 2));
    else if (live) console.log(`已办理。\n\n${formatPlan(live.view, live.actions)}`);
    else console.log(`已办理。方案「${id}」现处于「${result.stage.label}」阶段,已不在本单位的办理范围内。`);
    return 0;
  });
}

/** `reform plan show`: the plan as its workflow sees it now, with the actions this user may take. */
export async function planShow(id: string, o: SignIn & { json?: boolean }): Promise<number> {
  return withDesk(o, async (desk, caller) => {
    const live = await desk.live(caller, id);
    console.log(o.json ? JSON.stringify(live, null, 2) : formatPlan(live.view, live.actions));
    return 0;
  });
}

export interface ListOptions extends SignIn {
  text?: string;
  stage?: string;
  status?: string;
  overdue?: boolean;
  actionable?: boolean;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** `reform plan list`: the ledger in the user's scope (PlanDesk.list, as GET /api/plans). */
export async function planList(o: ListOptions): Promise<number> {
  return withDesk(o, async (desk, caller) => {
    const page = await desk.list(caller, {
      ...(o.text ? { text: o.text } : {}),
      ...(o.stage ? { stage: o.stage } : {}),
      ...(o.status ? { status: o.status as 'open' | 'closed' } : {}),
      ...(o.overdue ? { overdue: true } : {}),
      ...(o.actionable ? { actionable: true } : {}),
      ...(o.limit ? { limit: o.limit as unknown as number } : {}),
      ...(o.cursor ? { cursor: o.cursor } : {}),
    });
    if (o.json) {
      console.log(JSON.stringify(page, null, 2));
      return 0;
    }
    if (!page.rows.length) console.log('台账中没有本单位可见的方案。用 npx reform plan register 登记一个。');
    for (const r of page.rows) {
      console.log(formatLedgerRow(r));
      if (r.actions?.length) console.log(`  现在可办理:${r.actions.map((a) => a.label).join('、')}`);
    }
    if (page.nextCursor) console.log(`\n下一页:npx reform plan list --cursor ${page.nextCursor}`);
    return 0;
  });
}
