import { isLocalDate } from '@reform/calendar';
import { ItemStatus, ItemStatusSchema } from '@reform/definitions';
import { UserError } from '@reform/config';
import { withPlans } from '../context';
import { formatPlan } from '../format';

export interface StartOptions {
  procedure: string;
  title: string;
  leadUnit: string;
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

export async function planStart(o: StartOptions): Promise<number> {
  const startEvents: Record<string, string> = {};
  for (const e of o.event ?? []) {
    const [name, date] = e.split('=');
    if (!name || !date || !isLocalDate(date)) throw new UserError(`--event ${e}:应写成 事件=YYYY-MM-DD,例如 central_plan_issued=2026-05-01`);
    startEvents[name] = date;
  }
  return withPlans(async (plans) => {
    const { workflowId, definition } = await plans.start({
      procedure: o.procedure,
      workflowId: o.id,
      registeredOn: o.registeredOn,
      attributes: Object.fromEntries(list(o.attr).map((a) => [a, true])),
      startEvents,
      plan: {
        title: o.title,
        leadUnit: o.leadUnit,
        participatingUnits: list(o.units),
        responsibleLeader: o.leader,
        responsiblePerson: o.person,
        specialGroup: o.group,
      },
    });
    console.log(`已登记:${o.title}`);
    console.log(`编号:${workflowId}(${definition.title} 第${definition.version}版)`);
    console.log(`查看:npx reform plan show ${workflowId}`);
    return 0;
  });
}

export interface ActOptions {
  as: string;
  date?: string;
  reason?: string;
  actor?: string;
  item?: string;
  itemTitle?: string;
  itemStatus?: string;
  json?: boolean;
}

export async function planAct(id: string, action: string, o: ActOptions): Promise<number> {
  let status: ItemStatus | undefined;
  if (o.itemStatus) {
    const parsed = ItemStatusSchema.safeParse(o.itemStatus);
    if (!parsed.success) throw new UserError(`--item-status ${o.itemStatus}:应为 not_started(未启动)、started(已启动未完成)或 completed(已完成)`);
    status = parsed.data;
  }
  return withPlans(async (plans) => {
    await plans.act(id, {
      action,
      role: o.as,
      actor: o.actor,
      businessDate: o.date,
      reason: o.reason,
      item: o.item ? { id: o.item, title: o.itemTitle, status } : undefined,
    });
    // The Update answers only what changed; the clerk sees the whole plan, as read after it.
    const view = await plans.view(id);
    console.log(o.json ? JSON.stringify(view, null, 2) : `已办理。\n\n${formatPlan(view)}`);
    return 0;
  });
}

export async function planShow(id: string, o: { json?: boolean }): Promise<number> {
  return withPlans(async (plans) => {
    const view = await plans.view(id);
    console.log(o.json ? JSON.stringify(view, null, 2) : formatPlan(view));
    return 0;
  });
}

export async function planList(): Promise<number> {
  return withPlans(async (plans) => {
    const rows = await plans.list();
    if (!rows.length) console.log('还没有方案。用 npx reform plan start 登记第一个。');
    for (const r of rows) console.log(`${r.workflowId}  ${r.status}  ${r.startTime.toISOString()}`);
    return 0;
  });
}
