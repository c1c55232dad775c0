import { UserError } from '@reform/config';
import { HolidayCalendar, HolidayCalendarSchema, localDateAt } from '@reform/calendar';
import { checkReferences, Command, CommandSchema, describeIssues, PlanSchema, ProcessDefinition, ProcessDefinitionSchema, StartInputData, StartInputSchema } from '@reform/definitions';
import type { DeadlineChange, DeadlinePolicy, PlanSnapshot, PlanView } from '@reform/machine';
import { DefinitionStore, sameMeaning } from '@reform/persistence';
import { STANDARD_PROCEDURE_IDS, standardProcedures } from '@reform/procedures';
import { ActResult, actUpdate, calendarUpdate, migrateUpdate, PROCEDURE_WORKFLOW, snapshotQuery, viewQuery } from '@reform/workflows';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A user's request was refused; the message says why, in Chinese, and nothing changed. */
export { UserError };

/**
 * Seeds the standard procedures a database does not have yet; compiles rules/standard only
 * then, so a clerk's half-finished edit there does not stop every command.
 */
export async function seedStandardProcedures(store: DefinitionStore): Promise<void> {
  const published = new Set((await store.list()).map((d) => d.procedureId));
  if (STANDARD_PROCEDURE_IDS.every((id) => published.has(id))) return;
  for (const d of standardProcedures()) if (!published.has(d.id)) await store.publishNext(d);
}

/**
 * At start: seeds what is missing, and says which standard procedures in rules/standard differ
 * from what is published (edits go live only through `reform rules publish`, an explicit act),
 * or that rules/standard does not compile.
 */
export async function standardProceduresStatus(store: DefinitionStore): Promise<{ unpublished: string[]; broken?: string }> {
  await seedStandardProcedures(store);
  let definitions: ProcessDefinition[];
  try {
    definitions = standardProcedures();
  } catch (e) {
    return { unpublished: [], broken: (e as Error).message };
  }
  const unpublished: string[] = [];
  for (const d of definitions) {
    const latest = await store.latest(d.id);
    if (latest && !sameMeaning(latest, d)) unpublished.push(d.id);
  }
  return { unpublished };
}

export interface StartPlanRequest {
  procedure: string;
  plan: z.input<typeof PlanSchema>;
  attributes?: Record<string, boolean>;
  registeredOn?: string;
  startEvents?: Record<string, string>;
  workflowId?: string;
}

/** Starting plans, taking actions and reading them: what the CLI (and later the API) call. */
export class PlanService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly definitions: DefinitionStore,
    private readonly calendar: HolidayCalendar,
  ) {}

  async start(req: StartPlanRequest): Promise<{ workflowId: string; definition: ProcessDefinition }> {
    const definition = await this.definitions.latest(req.procedure);
    if (!definition) {
      const known = (await this.definitions.list()).map((d) => d.procedureId);
      throw new UserError(`没有已发布的流程「${req.procedure}」;已发布:${[...new Set(known)].join('、') || '无'}`);
    }
    const plan = PlanSchema.safeParse(req.plan);
    if (!plan.success) throw new UserError(describeIssues(plan.error.issues, 'plan'));
    const unknown = Object.keys(req.attributes ?? {}).filter((a) => !definition.attributes.some((d) => d.id === a));
    if (unknown.length) {
      throw new UserError(`流程「${definition.title}」没有属性:${unknown.join('、')};可用属性:${definition.attributes.map((a) => `${a.id}(${a.label})`).join('、')}`);
    }
    const badEvents = Object.keys(req.startEvents ?? {}).filter((e) => !definition.startEvents.includes(e));
    if (badEvents.length) throw new UserError(`登记时不能带事件:${badEvents.join('、')};可带:${definition.startEvents.join('、') || '无'}`);
    const today = localDateAt(Date.now());
    const registeredOn = req.registeredOn ?? today;
    if (registeredOn > today) throw new UserError(`登记日期 ${registeredOn} 晚于今天(${today})`);
    const workflowId = req.workflowId ?? `${definition.id}-${today.replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
    // The workflow runs what it is given: everything is checked here, with the full schemas.
    const input = StartInputSchema.safeParse({
      definition,
      calendar: this.calendar,
      plan: plan.data,
      attributes: req.attributes ?? {},
      registeredOn,
      startEvents: req.startEvents ?? {},
    } satisfies StartInputData);
    if (!input.success) throw new UserError(describeIssues(input.error.issues));
    await this.client.workflow.start(PROCEDURE_WORKFLOW, { taskQueue: this.taskQueue, workflowId, args: [input.data] });
    return { workflowId, definition };
  }

  /** Takes an action; answers what changed (the whole plan is `view`). */
  async act(workflowId: string, command: Command): Promise<ActResult> {
    const parsed = CommandSchema.safeParse(command);
    if (!parsed.success) throw new UserError(describeIssues(parsed.error.issues));
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(actUpdate, { args: [parsed.data] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new UserError(err.cause?.message ?? err.message);
      throw err;
    }
  }

  /** Hands a newly loaded holiday calendar to every running plan; returns the due dates that moved. */
  async refreshCalendar(calendar: HolidayCalendar): Promise<Array<{ workflowId: string; key: string; from: string; to: string }>> {
    const parsed = HolidayCalendarSchema.safeParse(calendar);
    if (!parsed.success) throw new UserError(describeIssues(parsed.error.issues, 'calendar'));
    const moved: Array<{ workflowId: string; key: string; from: string; to: string }> = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = '${PROCEDURE_WORKFLOW}' AND ExecutionStatus = 'Running'` })) {
      const changes = await this.client.workflow.getHandle(wf.workflowId).executeUpdate(calendarUpdate, { args: [parsed.data] });
      moved.push(...changes.map((c) => ({ workflowId: wf.workflowId, ...c })));
    }
    return moved;
  }

  /** Moves a plan to another published version; the workflow's validator refuses an impossible move. */
  async migrate(workflowId: string, definition: ProcessDefinition, policy: DeadlinePolicy, actor?: string): Promise<DeadlineChange[]> {
    const parsed = ProcessDefinitionSchema.safeParse(definition);
    if (!parsed.success) throw new UserError(describeIssues(parsed.error.issues, 'definition'));
    const refs = checkReferences(parsed.data);
    if (!refs.value) throw new UserError(refs.diagnostics.map((d) => `definition.${d.path}: ${d.message}`).join('\n'));
    if (policy !== 'keep' && policy !== 'recompute') throw new UserError('截止日期处理方式应为 keep 或 recompute');
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(migrateUpdate, { args: [{ definition: parsed.data, policy, actor }] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new UserError(err.cause?.message ?? err.message);
      throw err;
    }
  }

  async snapshot(workflowId: string): Promise<PlanSnapshot> {
    return this.client.workflow.getHandle(workflowId).query(snapshotQuery);
  }

  /** The plans still running, oldest first. */
  async running(): Promise<string[]> {
    const ids: Array<{ id: string; start: number }> = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = '${PROCEDURE_WORKFLOW}' AND ExecutionStatus = 'Running'` })) {
      ids.push({ id: wf.workflowId, start: wf.startTime.getTime() });
    }
    return ids.sort((a, b) => a.start - b.start).map((x) => x.id);
  }

  async view(workflowId: string): Promise<PlanView> {
    return this.client.workflow.getHandle(workflowId).query(viewQuery);
  }

  async list(limit = 50): Promise<Array<{ workflowId: string; status: string; startTime: Date }>> {
    const out: Array<{ workflowId: string; status: string; startTime: Date }> = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = '${PROCEDURE_WORKFLOW}'` })) {
      out.push({ workflowId: wf.workflowId, status: wf.status.name, startTime: wf.startTime });
      if (out.length >= limit) break;
    }
    return out;
  }
}
