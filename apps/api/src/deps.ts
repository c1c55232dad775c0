import type { AuditService } from '@reform/audit';
import type { AssessmentDesk, CalendarDesk, DashboardDesk, DeliberationDesk, ExcelExportDesk, ExperienceDesk, InboxDesk, ItemDesk, LedgerViewDesk, LetterDocuments, PlanDesk, ProblemDesk, RoundDesk, RulesDesk, TaskListDesk, UnitDesk } from '@reform/desk';
import type { AuthService, UserAccounts } from '@reform/identity';
import type { DefinitionStore, LetterStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import type { RulesInput } from '@reform/rules';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { PrincipalResolver } from './auth';
import type { ApiMetrics } from './ops/metrics';

/** One line of the API's structured log (JSON). */
export type LogEntry = Record<string, unknown> & { level: 'info' | 'warn' | 'error'; msg: string };
export type Log = (entry: LogEntry) => void;

/** Writes one JSON line per entry on stdout: what a log collector reads (the time first, without copying the entry). */
export const stdoutLog: Log = (entry) => {
  const rest = JSON.stringify(entry);
  process.stdout.write(`{"time":"${new Date().toISOString()}"${rest.length > 2 ? `,${rest.slice(1)}` : '}'}\n`);
};

/**
 * What the API is built from: services created once by the composition root (apps/api/src/start.ts
 * for `reform api` and `reform start`; tests build their own). The API creates none of them and
 * closes none of them.
 */
export interface ApiDeps {
  db: DataSource;
  definitions: DefinitionStore;
  letters?: LetterStore;
  plans?: PlanService;
  /** The Temporal client and the task queue the workers poll: health asks whether one does. */
  temporal?: { client: Client; namespace: string; taskQueue: string };
  /** The shared declarations (common.rules) a rules check adds when the files sent have none. */
  standardRules?: () => RulesInput[];
  metrics: ApiMetrics;
  log: Log;
  /**
   * Who is asking (identity, wired in by the lead): routes marked @RequireUser() answer 401
   * without one.
   */
  auth?: PrincipalResolver;
  /** Login, tokens and profiles (identity). */
  identity?: { auth: AuthService; accounts: UserAccounts };
  /** The plan use cases of a signed-in user (ledger in scope, detail, register, act). */
  desk?: PlanDesk;
  /** Specific reform items with their history and evidence files. */
  items?: ItemDesk;
  /** Procedures and rulesets of a signed-in user (publish, text, diff, simulate, migrate, why). */
  rules?: RulesDesk;
  /** Letters as official documents (.docx, .pdf). */
  documents?: LetterDocuments;
  /** The annual task list: its template and its import (Excel). */
  taskList?: TaskListDesk;
  /** Excel exports of the ledger and of a plan's items. */
  excel?: ExcelExportDesk;
  /** The problem library (问题库): register, list, act. */
  problems?: ProblemDesk;
  /** Saved views of the ledger (台账视图), each its user's own. */
  ledgerViews?: LedgerViewDesk;
  /** The yearly deliberation schedule (年度上会审议计划, W5). */
  deliberation?: DeliberationDesk;
  /** The experience library (经验推广, S5): promoted pilots and their summary reports. */
  experiences?: ExperienceDesk;
  /** Supervision rounds (督察轮次): open, self-inspection, verification, the 督察评估事项表. */
  rounds?: RoundDesk;
  audit?: AuditService;
  /** The units directory as the caller's scope shows it. */
  units?: UnitDesk;
  /** The dashboards' numbers (lights, progress, letters, S4 indicators, problems, trends). */
  dashboard?: DashboardDesk;
  /** Letters as they reach units: inboxes, signing (签收), the outbox's state. */
  inbox?: InboxDesk;
  /** The holiday calendar: the years in force, a file checked, a year loaded (the reform office). */
  calendar?: CalendarDesk;
  /** The year-end assessment: schemes, scores with their trace, third-party scores, the red list. */
  assessments?: AssessmentDesk;
}

export interface ApiOptions {
  /** The largest JSON body accepted (bytes, or a size such as '1mb'); larger ones get 413. */
  bodyLimit?: number | string;
  /** Requests a client may make per window before 429. */
  throttle?: { limit: number; ttlMs: number };
  /** How long health waits for the database and Temporal before calling them down. */
  healthTimeoutMs?: number;
  /** The built web console (apps/web/dist) served at `/` beside /api; null serves none. */
  webDir?: string | null;
}

export const DEPS = Symbol('ApiDeps');
export const OPTIONS = Symbol('ApiOptions');

export const DEFAULT_OPTIONS: Required<ApiOptions> = {
  bodyLimit: '2mb',
  throttle: { limit: 300, ttlMs: 60_000 },
  healthTimeoutMs: 3000,
  webDir: null,
};
