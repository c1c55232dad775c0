import { inPool, UserError } from '@reform/config';
import { HolidayCalendar, HolidayCalendarSchema, localDateAt } from '@reform/calendar';
import { checkDefinition, Command, CommandSchema, describeIssues, PlanIdSchema, PlanSchema, ProcessDefinition, StartInput, StartInputData, StartInputSchema } from '@reform/definitions';
import { Blocker, DeadlineChange, DeadlinePolicy, finishedBlocker, LedgerWrite, PlanProjection, PlanSnapshot, PlanView } from '@reform/machine';
import { DefinitionStore, LetterStore, sameMeaning } from '@reform/persistence';
import { compileOrRefuse, readRulesDir, RulesSource, STANDARD_PROCEDURE_IDS, STANDARD_RULES_DIR, standardProcedures, StandardRulesError } from '@reform/procedures';
import { ACTION_REJECTED, ActBy, ActResult, actUpdate, calendarUpdate, ledgerWriteQuery, migrateUpdate, PROCEDURE_WORKFLOW, projectionQuery, snapshotQuery, viewQuery } from '@reform/workflows';
import { ApplicationFailure, Client, WorkflowExecutionAlreadyStartedError, WorkflowExecutionStatusName, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A user's request was refused; the message says why, in Chinese, and nothing changed. */
export { UserError };

/** One reason the engine refused an action: its code for the check that failed, its Chinese sentence, the rule ids (A9 …) behind it. */
export interface Refusal {
  code: Blocker['code'] | string;
  message: string;
  rules: string[];
}

/**
 * The procedure does not allow the action now (the engine's validator refused it before anything
 * was recorded): the API answers 409 with the reasons.
 */
export class ActionRefusedError extends UserError {
  constructor(
    message: string,
    readonly reasons: Refusal[],
  ) {
    super(message);
  }
}

/** Rule ids the engine cites in a sentence, as 「法制审核」(A9). */
const citedRules = (message: string) => [...message.matchAll(/[(（]([AHSWY][0-9]{1,2})[)）]/g)].map((m) => m[1]);

/**
 * Seeds the standard procedures a database does not have yet; compiles the standard rules (in
 * `rulesDir`, by default rules/standard) only then, so a clerk's half-finished edit there does
 * not stop every command.
 */
export async function seedStandardProcedures(store: DefinitionStore, rulesDir?: string): Promise<void> {
  const published = new Set((await store.list()).map((d) => d.procedureId));
  if (STANDARD_PROCEDURE_IDS.every((id) => published.has(id))) return;
  const definitions = standardProcedures(rulesDir);
  // The files each one is written in, kept as the text of the version (none if the folder was
  // edited since it was compiled and no longer compiles or reads: the compiled procedures still publish).
  let sources: (id: string) => RulesSource[] | undefined = () => undefined;
  try {
    sources = compileOrRefuse(readRulesDir(rulesDir ?? STANDARD_RULES_DIR)).sources;
  } catch {
    // Published without its text.
  }
  for (const d of definitions) if (!published.has(d.id)) await store.publishNext(d, undefined, sources(d.id));
}

/**
 * At start: seeds what is missing, and says which standard procedures in the rules folder differ
 * from what is published (edits go live only through `reform rules publish`, an explicit act),
 * or, when the folder does not compile, what is wrong there; the product then runs with what is
 * published.
 */
export async function standardProceduresStatus(store: DefinitionStore, rulesDir?: string): Promise<{ unpublished: string[]; broken?: string }> {
  let definitions: ProcessDefinition[];
  try {
    definitions = standardProcedures(rulesDir);
  } catch (e) {
    if (e instanceof StandardRulesError) return { unpublished: [], broken: e.message };
    throw e;
  }
  await seedStandardProcedures(store, rulesDir);
  const unpublished: string[] = [];
  for (const d of definitions) {
    const latest = await store.latest(d.id);
    if (latest && !sameMeaning(latest, d)) unpublished.push(d.id);
  }
  return { unpublished };
}

/** One thing a start would be refused for: the request's field and why (Chinese). */
export interface StartIssue {
  path: 'procedure' | 'workflowId' | 'plan' | 'attributes' | 'startEvents' | 'registeredOn';
  message: string;
}

export interface StartPlanRequest {
  procedure: string;
  plan: z.input<typeof PlanSchema>;
  attributes?: Record<string, boolean>;
  registeredOn?: string;
  startEvents?: Record<string, string>;
  workflowId?: string;
  /** The signed-in user registering it (PlanDesk): the plan audits its registration itself. */
  registeredBy?: StartInputData['registeredBy'];
  /**
   * The request that starts it, for a start `once` under an id derived from the request: kept in
   * the workflow's memo (read without a worker), so a repeat knows its own plan from another
   * request's that happens to have taken the same id.
   */
  requestKey?: string;
}

/** A start `once` found its id taken by a workflow another request started. */
export class PlanIdTakenError extends UserError {
  constructor(readonly workflowId: string) {
    super(`方案编号「${workflowId}」已被另一次登记使用`);
  }
}

/** How a plan under an id stands, in the words of the refusal to reuse the id. */
const STATUS_LABEL: Partial<Record<WorkflowExecutionStatusName, string>> = {
  RUNNING: '正在办理中',
  COMPLETED: '已办结',
  TERMINATED: '已被终止',
  CANCELLED: '已被撤销',
  FAILED: '已失败',
  TIMED_OUT: '已超时',
  CONTINUED_AS_NEW: '正在办理中',
};

/** gRPC's status for a call the server does not implement. */
const GRPC_UNIMPLEMENTED = 12;

/**
 * How many workers polled the task queue for workflow tasks lately, as Temporal lists them
 * (DescribeTaskQueue: pollers of the last minutes); null when the server does not say (the
 * time-skipping test server does not implement it). Throws when Temporal does not answer by the
 * deadline. The health check and the desks' wait for a worker read it.
 */
export async function taskQueuePollers(client: Client, namespace: string, taskQueue: string, deadlineMs: number): Promise<number | null> {
  try {
    const response = await client.connection.withDeadline(Date.now() + deadlineMs, () =>
      client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */ }),
    );
    return (response.pollers ?? []).length;
  } catch (e) {
    if ((e as { code?: number }).code === GRPC_UNIMPLEMENTED) return null;
    throw e;
  }
}

/** How long a worker seen polling counts as there (a desk's wait asks at most this often while workers run). */
const WORKER_SEEN_TTL_MS = 10_000;

/** How many running plans a calendar load tells at once. */
const CALENDAR_REFRESH_CONCURRENCY = 16;

/** Starting plans, taking actions and reading them: what the CLI and the API call. */
export class PlanService {
  private workerSeenUntil = 0;
  private pollersUnknown = false;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly definitions: DefinitionStore,
    /**
     * The holiday calendar a new plan starts with: a value, or where the office may load a year
     * while this service runs (API, worker), a read of the calendar as loaded now
     * (CalendarStore.calendar: one small statement, the years read again only after a load).
     */
    private calendar: HolidayCalendar | (() => Promise<HolidayCalendar>),
    /** Letters already issued: an id under which letters went out is never given to a new plan. */
    private readonly letters?: LetterStore,
    /**
     * The time "today" is read from when a plan is registered: the wall clock, which is the
     * Temporal server's; tests on the time-skipping server pass that server's clock.
     */
    private readonly now: () => number | Promise<number> = Date.now,
  ) {}

  /**
   * Whether a worker polls this service's task queue: false when Temporal says none did lately
   * (nothing a request waits for will happen before one starts), true when one did, undefined
   * when Temporal does not say or does not answer within 2 s. A worker seen counts for 10 s; a
   * server that does not describe task queues is asked once.
   */
  async workerSeen(): Promise<boolean | undefined> {
    if (this.pollersUnknown) return undefined;
    if (Date.now() < this.workerSeenUntil) return true;
    let pollers: number | null;
    try {
      pollers = await taskQueuePollers(this.client, this.client.options.namespace, this.taskQueue, 2_000);
    } catch {
      return undefined;
    }
    if (pollers === null) {
      this.pollersUnknown = true;
      return undefined;
    }
    if (pollers > 0) this.workerSeenUntil = Date.now() + WORKER_SEEN_TTL_MS;
    return pollers > 0;
  }

  /**
   * Why an id cannot be given to a new plan, if it cannot. A new plan under a used id would have
   * the old plan's letter keys (workflow id, deadline, level), and the letter store would hand it
   * the old plan's letters instead of writing its own. Temporal knows the plans whose history it
   * keeps, running or closed; the letters remember an id after Temporal has let its history go.
   */
  async whyUsed(workflowId: string): Promise<string | undefined> {
    try {
      const d = await this.client.workflow.getHandle(workflowId).describe();
      const label = STATUS_LABEL[d.status.name] ?? '已结束';
      return d.closeTime ? `该编号的方案${label},${localDateAt(d.closeTime.getTime())}结束` : `该编号的方案${label}`;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const issued = (await this.letters?.forWorkflow(workflowId))?.length ?? 0;
    return issued ? `已有 ${issued} 件函件以该编号发出` : undefined;
  }

  /** Whether a workflow under the id was started by this request (its memo's request key). */
  async startedBy(workflowId: string, requestKey: string): Promise<boolean> {
    try {
      const { memo } = await this.client.workflow.getHandle(workflowId).describe();
      return memo?.requestKey === requestKey;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  private refuseUsedId(workflowId: string, why: string): never {
    throw new UserError(`方案编号「${workflowId}」已被使用(${why}),请换一个编号`);
  }

  /**
   * Everything `start` would refuse the request for, each with the field it is about (procedure,
   * workflowId, plan, attributes, startEvents, registeredOn), without starting anything: an
   * import checks every row with it before it registers any. The definition is the one a start
   * would run (the latest published), and the input the workflow would get when nothing is wrong.
   */
  async check(req: StartPlanRequest): Promise<{ definition?: ProcessDefinition; issues: StartIssue[]; input?: StartInput; workflowId?: string }> {
    const issues: StartIssue[] = [];
    const definition = (await this.definitions.latest(req.procedure)) ?? undefined;
    if (!definition) {
      const known = (await this.definitions.list()).map((d) => d.procedureId);
      issues.push({ path: 'procedure', message: `没有已发布的流程「${req.procedure}」;已发布:${[...new Set(known)].join('、') || '无'}` });
    }
    if (req.workflowId !== undefined) {
      const id = PlanIdSchema.safeParse(req.workflowId);
      if (!id.success) issues.push({ path: 'workflowId', message: describeIssues(id.error.issues, 'workflowId') });
    }
    const plan = PlanSchema.safeParse(req.plan);
    if (!plan.success) issues.push({ path: 'plan', message: describeIssues(plan.error.issues, 'plan') });
    if (definition) {
      const unknown = Object.keys(req.attributes ?? {}).filter((a) => !definition.attributes.some((d) => d.id === a));
      if (unknown.length) {
        issues.push({ path: 'attributes', message: `流程「${definition.title}」没有属性:${unknown.join('、')};可用属性:${definition.attributes.map((a) => `${a.id}(${a.label})`).join('、')}` });
      }
      const badEvents = Object.keys(req.startEvents ?? {}).filter((e) => !definition.startEvents.includes(e));
      if (badEvents.length) issues.push({ path: 'startEvents', message: `登记时不能带事件:${badEvents.join('、')};可带:${definition.startEvents.join('、') || '无'}` });
    }
    const today = localDateAt(await this.now());
    const registeredOn = req.registeredOn ?? today;
    if (registeredOn > today) issues.push({ path: 'registeredOn', message: `登记日期 ${registeredOn} 晚于今天(${today})` });
    if (issues.length || !definition || !plan.success) return { definition, issues };
    const workflowId = req.workflowId ?? `${definition.id}-${today.replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
    // The workflow runs what it is given: everything is checked here, with the full schemas.
    const input = StartInputSchema.safeParse({
      definition,
      calendar: typeof this.calendar === 'function' ? await this.calendar() : this.calendar,
      plan: plan.data,
      attributes: req.attributes ?? {},
      registeredOn,
      startEvents: req.startEvents ?? {},
      ...(req.registeredBy ? { registeredBy: req.registeredBy } : {}),
    } satisfies StartInputData);
    if (!input.success) return { definition, issues: [{ path: 'plan', message: describeIssues(input.error.issues) }] };
    return { definition, issues, input: input.data, workflowId };
  }

  /**
   * Starts the plan's workflow. With `once` (a desk's retried request: the id derives from the
   * request), a workflow already started under the id is the one this request started before,
   * and the answer says so (`started: false`) instead of refusing the id; with a `requestKey`,
   * only if its memo carries the same key (else PlanIdTakenError: another request's plan).
   */
  async start(req: StartPlanRequest, opts: { once?: boolean } = {}): Promise<{ workflowId: string; definition: ProcessDefinition; started: boolean }> {
    const { definition, issues, input, workflowId } = await this.check(req);
    if (issues.length || !definition || !input || !workflowId) throw new UserError(issues[0]?.message ?? '登记有误');
    if (req.workflowId && !opts.once) {
      const why = await this.whyUsed(workflowId);
      if (why) this.refuseUsedId(workflowId, why);
    }
    try {
      await this.client.workflow.start(PROCEDURE_WORKFLOW, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        // A closed plan's id is not taken again; a running one's is refused by default (conflict policy FAIL).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(req.requestKey ? { memo: { requestKey: req.requestKey } } : {}),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && opts.once) {
        if (req.requestKey && !(await this.startedBy(workflowId, req.requestKey))) throw new PlanIdTakenError(workflowId);
        return { workflowId, definition, started: false };
      }
      // Another start took the id between the look-up and now.
      if (err instanceof WorkflowExecutionAlreadyStartedError) this.refuseUsedId(workflowId, (await this.whyUsed(workflowId)) ?? '刚被另一次登记使用');
      throw err;
    }
    return { workflowId, definition, started: true };
  }

  /**
   * Takes an action; answers what changed (the whole plan is `view`). `by` names the signed-in
   * user (PlanDesk): the workflow audits the act with the ledger write of its change, and a
   * retried request with the same request id answers what the first did, changing nothing.
   */
  async act(workflowId: string, command: Command, by?: ActBy): Promise<ActResult> {
    const parsed = CommandSchema.safeParse(command);
    if (!parsed.success) throw new UserError(describeIssues(parsed.error.issues));
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(actUpdate, { args: by ? [parsed.data, by] : [parsed.data] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        if (cause instanceof ApplicationFailure && cause.type === ACTION_REJECTED) {
          throw await this.refusal(workflowId, parsed.data.action, cause.message, (Array.isArray(cause.details?.[0]) ? cause.details[0] : []) as Blocker[]);
        }
        throw new UserError(cause?.message ?? err.message);
      }
      // A plan that reached its final stage has closed its workflow, which takes no Update: refused as the engine refuses anything there.
      if (err instanceof WorkflowNotFoundError) {
        const finished = await this.finishedStage(workflowId);
        if (finished) throw await this.refusal(workflowId, parsed.data.action, finished.message, [finished]);
      }
      throw err;
    }
  }

  /** Why nothing can be done when the plan is in its final stage; undefined when it is not (or cannot be read). */
  private async finishedStage(workflowId: string): Promise<Blocker | undefined> {
    try {
      const { definition, stage, finished } = await this.snapshot(workflowId);
      const final = definition.stages.find((s) => s.id === stage);
      return finished && final ? finishedBlocker(final) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The engine's refusal with its reasons, each with the rule ids behind it: those it cites, and the source of the action's stage. */
  private async refusal(workflowId: string, action: string, message: string, blockers: Blocker[]): Promise<ActionRefusedError> {
    let stageRule: string | undefined;
    try {
      const { definition } = await this.snapshot(workflowId);
      stageRule = definition.stages.find((s) => s.actions.some((a) => a.id === action))?.source;
    } catch {
      // The reasons stand without it.
    }
    const rulesOf = (text: string) => [...new Set([...citedRules(text), ...(stageRule ? [stageRule] : [])])];
    const reasons = blockers.length
      ? blockers.map((b) => ({ code: b.code, message: b.message, rules: rulesOf(b.message) }))
      : [{ code: 'refused', message, rules: rulesOf(message) }];
    return new ActionRefusedError(message, reasons);
  }

  /**
   * Hands a newly loaded holiday calendar to every running plan (those of `workflowIds`, the
   * ledger's open plans, when given: Temporal's list needs a visibility store, which the
   * time-skipping test server lacks); returns the due dates that moved. A plan that finished in
   * the meantime is passed over.
   */
  async refreshCalendar(calendar: HolidayCalendar, workflowIds?: string[]): Promise<Array<{ workflowId: string; key: string; from: string; to: string }>> {
    const parsed = HolidayCalendarSchema.safeParse(calendar);
    if (!parsed.success) throw new UserError(describeIssues(parsed.error.issues, 'calendar'));
    // Plans registered from now on start with it too (a reader reads the loaded calendar itself).
    if (typeof this.calendar !== 'function') this.calendar = parsed.data;
    // Several Updates in flight (each a round trip to a worker): a province's thousands of open
    // plans are told in seconds, not one after the other; the result keeps the plans' order.
    const ids = workflowIds ?? (await this.running());
    const changed: Array<Array<{ workflowId: string; key: string; from: string; to: string }>> = ids.map(() => []);
    await inPool(ids, CALENDAR_REFRESH_CONCURRENCY, async (workflowId, i) => {
      let changes: Array<{ key: string; from: string; to: string }>;
      try {
        changes = await this.client.workflow.getHandle(workflowId).executeUpdate(calendarUpdate, { args: [parsed.data] });
      } catch (e) {
        if (workflowIds && e instanceof WorkflowNotFoundError) return;
        throw e;
      }
      changed[i] = changes.map((c) => ({ workflowId, ...c }));
    });
    return changed.flat();
  }

  /** Moves a plan to another published version; the workflow's validator refuses an impossible move. */
  async migrate(workflowId: string, definition: ProcessDefinition, policy: DeadlinePolicy, actor?: string): Promise<DeadlineChange[]> {
    const checked = checkDefinition(definition);
    if (!checked.value) throw new UserError(checked.diagnostics.map((d) => `definition.${d.path}: ${d.message}`).join('\n'));
    if (policy !== 'keep' && policy !== 'recompute') throw new UserError('截止日期处理方式应为 keep 或 recompute');
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(migrateUpdate, { args: [{ definition: checked.value, policy, actor }] });
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

  /** The plan's ledger projection as the workflow holds it now, with its change counter (a query: nothing changes). */
  async projection(workflowId: string): Promise<PlanProjection> {
    return this.client.workflow.getHandle(workflowId).query(projectionQuery);
  }

  /** The plan's next ledger write: its projection and the acts whose audit rows it carries (a query). */
  async ledgerWrite(workflowId: string): Promise<LedgerWrite> {
    return this.client.workflow.getHandle(workflowId).query(ledgerWriteQuery);
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
