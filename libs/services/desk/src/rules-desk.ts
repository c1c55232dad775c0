import { AuditService } from '@reform/audit';
import { FieldError, ForbiddenError, NotFoundError, UserError } from '@reform/config';
import { PlanIdSchema, ProcessDefinition } from '@reform/definitions';
import { planAccess, scopeFor, standardLegalReviewStages, UserAccounts } from '@reform/identity';
import { LEDGER_PAGE_MAX, LedgerService } from '@reform/ledger';
import type { PlanSnapshot, PlanView } from '@reform/machine';
import type { DefinitionStore, PublishedSource } from '@reform/persistence';
import type { Unit } from '@reform/platform';
import {
  DeadlineWhy,
  diffLines,
  diffProcedures,
  explainDeadlines,
  migrationConcerns,
  MigrationPreview,
  migrationPolicy,
  PlanService,
  previewMigration,
  ProcedureDiff,
  publishRuleset,
  PublishedProcedure,
  SimulatedPlan,
  simulatePlan,
  simulationHorizon,
} from '@reform/plans';
import { compileOrRefuse, diagnosticsJson, explainProcedures, FormattedRulesFile, formatRulesFiles, ProcedureExplanation, RulesInvalidError, withSharedRules } from '@reform/procedures';
import type { RulesInput } from '@reform/rules';
import { Caller, whoIs } from './plan-desk';

export interface RulesDeskDeps {
  definitions: DefinitionStore;
  accounts: UserAccounts;
  audit: AuditService;
  /** Which plans a unit may see (the ledger's scope, in SQL). */
  ledger: LedgerService;
  /** Without it (no Temporal), simulate, migrate and why are unavailable. */
  plans?: PlanService;
  /** The shared declarations (common.rules) added to files sent without them. */
  standardRules: () => RulesInput[];
  /** "Now" for simulations and migration previews: the Temporal server's clock. */
  now?: () => number | Promise<number>;
  reviewStages?: () => string[];
}

/** A procedure diff with the lines `reform rules diff` prints. */
export type ProcedureDiffWithLines = ProcedureDiff & { lines: string[] };

export interface MigrationRequest {
  procedure: string;
  /** A published version, or 'latest'. */
  version: number | 'latest';
  policy: string;
  /** Without it, a dry run: nothing changes. */
  apply?: boolean;
  /** Only this plan (otherwise every running plan of the procedure in the caller's scope). */
  planId?: string;
}

export interface MigrationOutcome {
  procedure: { id: string; version: number; title: string };
  policy: 'keep' | 'recompute';
  applied: boolean;
  plans: Array<MigrationPreview & { migrated: boolean }>;
  migrated: number;
  refused: number;
}

/** The service is not there (no Temporal): the API answers 503. */
export class RulesUnavailableError extends UserError {}

const planNotFound = (planId: string) => new NotFoundError(`没有找到方案「${planId}」,或本单位无权查看`);
const withLines = (p: ProcedureDiff): ProcedureDiffWithLines => ({ ...p, lines: diffLines(p) });

/**
 * Procedures and rulesets for a signed-in user, over the same use cases as `reform rules`:
 * publishing (the province's reform office only, audited; rules with an error publish nothing),
 * the text and diff of a version, simulation over the running plans the caller may see,
 * migration (the reform office only: a dry run changes nothing, applying is audited per plan),
 * and why a deadline falls due when it does (a plan outside the caller's scope is not found).
 */
export class RulesDesk {
  constructor(private readonly deps: RulesDeskDeps) {}

  private async whoIs(caller: Caller): Promise<{ unit: Unit; name: string }> {
    return whoIs(this.deps.accounts, caller);
  }

  private plans(): PlanService {
    if (!this.deps.plans) throw new RulesUnavailableError('方案服务未启用(未连接 Temporal)');
    return this.deps.plans;
  }

  private async now(): Promise<number> {
    return (this.deps.now ?? Date.now)();
  }

  private compile(files: RulesInput[]) {
    const { inputs, partial } = withSharedRules(files, this.deps.standardRules);
    return compileOrRefuse(inputs, { partial });
  }

  /** The plan's view and snapshot when the caller's unit may see it; not found otherwise (no existence leak). */
  private async reach(unit: Unit, planId: string): Promise<{ view: PlanView; snap: PlanSnapshot }> {
    if (!PlanIdSchema.safeParse(planId).success) throw planNotFound(planId.slice(0, 200));
    let view: PlanView;
    try {
      view = await this.plans().view(planId);
    } catch (e) {
      if (e instanceof RulesUnavailableError) throw e;
      throw planNotFound(planId);
    }
    if (!view.plan.scope || !planAccess(unit, view.plan.scope, view.stage.id, this.reviewStages()).read) throw planNotFound(planId);
    return { view, snap: await this.plans().snapshot(planId) };
  }

  private reviewStages(): string[] {
    return (this.deps.reviewStages ?? standardLegalReviewStages)();
  }

  /** The plans of these procedures still running that the caller's unit may see (the ledger lists them), with their view and snapshot. */
  private async visible(unit: Unit, procedures: string[]): Promise<Array<{ view: PlanView; snap: PlanSnapshot }>> {
    const ids: string[] = [];
    const scope = scopeFor(unit, this.reviewStages());
    for (const procedure of new Set(procedures)) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.ledger.list(scope, { status: 'open', procedure, sort: 'title', direction: 'asc', limit: LEDGER_PAGE_MAX, cursor });
        ids.push(...page.rows.map((r) => r.planId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    const out = [];
    for (const id of ids) {
      try {
        out.push(await this.reach(unit, id));
      } catch (e) {
        // Out of scope, or finished between the listing and the query.
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    return out;
  }

  private async published(id: string, version: number | 'latest'): Promise<ProcessDefinition> {
    const def = version === 'latest' ? await this.deps.definitions.latest(id) : await this.deps.definitions.get(id, version);
    if (!def) throw new NotFoundError(version === 'latest' ? `没有已发布的流程「${id}」` : `流程「${id}」没有第${version}版`);
    return def;
  }

  /** Publishes every procedure of the files as a new version: the reform office of the province only. */
  async publish(caller: Caller, files: RulesInput[]): Promise<PublishedProcedure[]> {
    const { unit, name } = await this.whoIs(caller);
    if (unit.kind !== 'reform_office' || unit.region.level !== 'province') {
      throw new ForbiddenError(`规则由省级改革办发布;${unit.name}是${unit.region.levelLabel}${unit.kindLabel},不能发布`);
    }
    const compiled = this.compile(files);
    const before = new Map<string, number | null>();
    for (const d of compiled.definitions) before.set(d.id, (await this.deps.definitions.latest(d.id))?.version ?? null);
    const published = await publishRuleset(this.deps.definitions, compiled);
    for (const p of published.filter((x) => x.status === 'published')) {
      await this.deps.audit.record({
        action: 'procedure.published',
        actor: { userId: caller.principal.userId, name, unitId: unit.id },
        target: { type: 'procedure', id: `${p.id}@${p.version}` },
        before: { latestVersion: before.get(p.id) ?? null },
        after: { version: p.version, title: p.title, files: compiled.sources(p.id).map((f) => f.name) },
        requestId: caller.requestId,
      });
    }
    return published;
  }

  private async reformOffice(caller: Caller, what: string): Promise<void> {
    const { unit } = await this.whoIs(caller);
    if (unit.kind !== 'reform_office') throw new ForbiddenError(`${what}由改革办办理;${unit.name}是${unit.kindLabel},不能办理`);
  }

  /** The files laid out in the canonical layout (`reform rules fmt`): the reform office's workbench. A syntax error anywhere formats nothing (422). */
  async format(caller: Caller, files: RulesInput[]): Promise<Array<Omit<FormattedRulesFile, 'diagnostics'>>> {
    await this.reformOffice(caller, '规则排版');
    const formatted = formatRulesFiles(files);
    const diagnostics = formatted.flatMap((f) => f.diagnostics);
    if (diagnostics.length) {
      throw new RulesInvalidError({ ok: false, files: files.map((f) => f.name), procedures: [], schemes: [], diagnostics: diagnosticsJson(diagnostics) });
    }
    return formatted.map(({ name, text, changed }) => ({ name, text, changed }));
  }

  /** What each procedure of the files (or the one named) makes the system do, in plain Chinese (`reform rules explain`); 422 for rules with errors. */
  async explain(caller: Caller, files: RulesInput[], procedure?: string): Promise<ProcedureExplanation[]> {
    await this.reformOffice(caller, '规则说明');
    const { definitions } = this.compile(files);
    if (procedure && !definitions.some((d) => d.id === procedure)) throw new FieldError('procedure', `规则中没有程序「${procedure}」`);
    return explainProcedures(definitions, procedure);
  }

  /** The rules files a published version was written in. */
  async versionText(id: string, version: number): Promise<{ id: string; version: number; files: PublishedSource[] }> {
    await this.published(id, version);
    const files = await this.deps.definitions.sources(id, version);
    if (!files) throw new NotFoundError(`流程「${id}」第${version}版发布时未保存规则原文`);
    return { id, version, files };
  }

  /** How a published version differs from another (by default the latest), as `reform rules diff id@against id@version`. */
  async diffVersion(id: string, version: number, against: number | 'latest' = 'latest'): Promise<ProcedureDiffWithLines> {
    const [from, to] = [await this.published(id, against), await this.published(id, version)];
    return withLines(diffProcedures([from], [to], { only: [id], leftPublished: true, rightPublished: true })[0]);
  }

  /** How the procedures of the files differ from what is published (their latest versions). */
  async diffFiles(files: RulesInput[]): Promise<ProcedureDiffWithLines[]> {
    const proposed = this.compile(files).definitions;
    const published = (await Promise.all(proposed.map((d) => this.deps.definitions.latest(d.id)))).filter((d): d is ProcessDefinition => !!d);
    return diffProcedures(published, proposed, { leftPublished: true }).map(withLines);
  }

  /** The letters every running plan of the files' procedures in the caller's scope would get until `until` under the rules now and under the files. Changes nothing. */
  async simulate(caller: Caller, files: RulesInput[], until?: string): Promise<{ today: string; until: string; plans: SimulatedPlan[] }> {
    const { unit } = await this.whoIs(caller);
    const proposed = this.compile(files).definitions;
    const now = await this.now();
    let horizon: ReturnType<typeof simulationHorizon>;
    try {
      horizon = simulationHorizon(now, until, 'until');
    } catch (e) {
      if (e instanceof UserError) throw new FieldError('until', e.message.replace(/^until /, ''));
      throw e;
    }
    const plans = (await this.visible(unit, proposed.map((d) => d.id))).map(({ snap, view }) => simulatePlan(proposed, snap, view, now, horizon.end));
    return { today: horizon.today, until: horizon.until, plans };
  }

  /** Moves running plans in the caller's scope to a published version: a dry run unless `apply`; the reform office only. */
  async migrate(caller: Caller, req: MigrationRequest): Promise<MigrationOutcome> {
    const { unit, name } = await this.whoIs(caller);
    if (unit.kind !== 'reform_office') throw new ForbiddenError(`方案迁移由改革办办理;${unit.name}是${unit.kindLabel},不能迁移`);
    const policy = migrationPolicy(req.policy, 'policy 应为 keep(保留原截止日期)或 recompute(按新规则从业务日期重算)');
    const target = await this.published(req.procedure, req.version);
    const candidates = req.planId ? [await this.reach(unit, req.planId)] : await this.visible(unit, [target.id]);
    const now = await this.now();
    const plans: MigrationOutcome['plans'] = [];
    for (const { snap, view } of candidates) {
      if (!migrationConcerns(snap, target, !!req.planId)) continue;
      const preview = previewMigration(snap, view, target, policy, now);
      let migrated = false;
      if (req.apply && !preview.problems.length) {
        await this.plans().migrate(snap.workflowId, target, policy, name);
        migrated = true;
        await this.deps.audit.record({
          action: 'plan.migrated',
          actor: { userId: caller.principal.userId, name, unitId: unit.id },
          target: { type: 'plan', id: snap.workflowId },
          before: { procedure: snap.definition.id, version: snap.definition.version },
          after: { procedure: target.id, version: target.version, policy, deadlines: preview.deadlines.filter((c) => c.change !== 'unchanged' && c.change !== 'kept') },
          requestId: caller.requestId,
        });
      }
      plans.push({ ...preview, migrated });
    }
    return {
      procedure: { id: target.id, version: target.version, title: target.title },
      policy,
      applied: !!req.apply,
      plans,
      migrated: plans.filter((p) => p.migrated).length,
      refused: plans.filter((p) => p.problems.length).length,
    };
  }

  /** Why each deadline of a plan (or the one named) falls due when it does: the engine's why-trace. */
  async why(caller: Caller, planId: string, deadline?: string): Promise<{ planId: string; deadlines: DeadlineWhy[] }> {
    const { unit } = await this.whoIs(caller);
    const { view, snap } = await this.reach(unit, planId);
    return { planId, deadlines: explainDeadlines(view, snap, deadline) };
  }
}
