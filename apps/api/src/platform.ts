import { AuditService } from '@reform/audit';
import { DEFAULT_OFFICE } from '@reform/config';
import { ActOutcome, AssessmentDesk, auditAuthEvent, CalendarDesk, DashboardDesk, DeliberationDesk, ExcelExportDesk, ExperienceDesk, InboxDesk, ItemDesk, LedgerViewDesk, LetterDocuments, PlanDesk, ProblemDesk, RoundDesk, RulesDesk, TaskListDesk, UnitDesk } from '@reform/desk';
import { AuthOptions, authOptionsFromEnv, Clock, openIdentity } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import { AssessmentStore, CalendarStore, type DefinitionStore, EvidenceStore, LetterStore, ProblemStore, RoundStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import type { RulesInput } from '@reform/rules';
import { basename, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { PrincipalResolver } from './auth';
import type { ApiDeps, Log } from './deps';
import type { ApiMetrics } from './ops/metrics';

/**
 * The platform's services over one database: identity (login, tokens, units), the ledger, the
 * audit trail and the plan desk (the signed-in user's plan use cases), and the resolver that
 * turns a request's bearer token into its principal. Built by the composition root and by tests.
 */
export async function platformServices(args: {
  db: DataSource;
  /** Without it (no Temporal), no plan desk: the plan endpoints answer 503. */
  plans?: PlanService;
  definitions: DefinitionStore;
  log: Log;
  auth?: Partial<AuthOptions>;
  clock?: Clock;
  /** "Today" for the ledger's overdue and due-soon filters; tests pass the test server's clock. */
  now?: () => number | Promise<number>;
  /** Where evidence files are kept and the largest accepted (default .data/evidence under the working directory, 20 MB). */
  evidence?: { dir: string; maxBytes?: number };
  /** The shared declarations a rules upload without them is checked with (default: those of rules/standard). */
  standardRules?: () => RulesInput[];
  /** Fed with the desk's actions, and reading letters and the projection lag from this database. */
  metrics?: ApiMetrics;
  /** The issuing office its letters' documents are printed for (default: the configuration's default) and the fonts' folder. */
  documents?: { office: { name: string; sealImage?: string }; fontDir?: string };
  /** Whether the outbox has a notification endpoint (REFORM_NOTIFY_URL): its status says so. */
  notifyConfigured?: boolean;
}): Promise<Pick<ApiDeps, 'identity' | 'desk' | 'items' | 'rules' | 'audit' | 'auth' | 'documents' | 'inbox' | 'taskList' | 'excel' | 'problems' | 'dashboard' | 'deliberation' | 'experiences' | 'assessments' | 'rounds' | 'ledgerViews' | 'calendar' | 'units'>> {
  const { db, log, metrics } = args;
  const audit = AuditService.on(db);
  const { auth, accounts, directory } = await openIdentity(db, { ...authOptionsFromEnv(), ...args.auth }, { clock: args.clock, onEvent: (e) => auditAuthEvent(audit, e, (action, error) => log({ level: 'error', msg: 'audit write failed', action, error })) });
  const evidence = args.evidence ?? { dir: resolve('.data', 'evidence') };
  const evidenceStore = new EvidenceStore(db, evidence.dir);
  // Uploads a crash interrupted leave their spool files behind: they go at start.
  const swept = await evidenceStore.sweepSpool();
  if (swept) log({ level: 'info', msg: 'evidence: removed spool files of interrupted uploads', files: swept });
  const ledger = new LedgerService(db, args.now);
  const onAct = metrics && ((e: ActOutcome) => metrics.actions.inc({ ...e }));
  const desk = args.plans && new PlanDesk({ plans: args.plans, definitions: args.definitions, ledger, directory, accounts, audit, onAct });
  const documents = desk && new LetterDocuments({ desk, office: args.documents?.office ?? DEFAULT_OFFICE, fontDir: args.documents?.fontDir });
  const roundStore = new RoundStore(db);
  const foundCompleted = async (planId: string) => new Map((await roundStore.completedFindings([planId])).map((f) => [f.itemId, { roundId: f.roundId, roundName: f.roundName, verifiedOn: f.verifiedOn }]));
  const items = desk && new ItemDesk({ desk, evidence: evidenceStore, audit, maxEvidenceBytes: evidence.maxBytes, foundCompleted });
  const inbox = new InboxDesk({ accounts, audit, ledger, notifyConfigured: args.notifyConfigured, now: args.now });
  const taskList = desk && args.plans && new TaskListDesk({ desk, plans: args.plans, definitions: args.definitions, directory, audit, db, now: args.now });
  const excel = desk && items && new ExcelExportDesk({ desk, items, directory, definitions: args.definitions, now: args.now });
  const problems = desk && args.plans && new ProblemDesk({ desk, plans: args.plans, problems: new ProblemStore(db), definitions: args.definitions, directory, evidence: evidenceStore, maxEvidenceBytes: evidence.maxBytes, letters: new LetterStore(db), audit, now: args.now });
  const dashboard = desk && new DashboardDesk({ desk, ledger });
  const units = desk && new UnitDesk({ desk, directory, ledger });
  const deliberation = desk && new DeliberationDesk({ desk, ledger, definitions: args.definitions, audit, db });
  const ledgerViews = desk && new LedgerViewDesk({ desk, audit, db });
  const experiences = desk && new ExperienceDesk({ desk, db, evidence: evidenceStore, directory, audit, maxEvidenceBytes: evidence.maxBytes });
  const rounds = desk && args.plans && new RoundDesk({ desk, plans: args.plans, rounds: roundStore, definitions: args.definitions, directory, evidence: evidenceStore, letters: new LetterStore(db), audit, db, now: args.now });
  const standardRules = args.standardRules ?? (() => readRulesDir(STANDARD_RULES_DIR).map((f) => ({ name: basename(f.name), text: f.text })));
  const assessments = new AssessmentDesk({ accounts, directory, audit, store: new AssessmentStore(db), standardRules, now: args.now });
  const rules = new RulesDesk({ definitions: args.definitions, accounts, audit, ledger, plans: args.plans, standardRules, now: args.now });
  const calendar = new CalendarDesk({ accounts, audit, store: new CalendarStore(db), ledger: ledger.store, plans: args.plans });
  if (metrics) {
    const letters = new LetterStore(db);
    metrics.readFrom({
      letterCounts: () => letters.countByKind(),
      projectionLag: async () => (await ledger.store.lastProjectionLag())?.seconds ?? null,
      onError: (metric, e) => log({ level: 'warn', msg: 'metrics: source unreadable', metric, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
    });
  }
  const resolver: PrincipalResolver = {
    async resolve(req) {
      const header = req.headers.authorization;
      if (typeof header !== 'string' || !/^Bearer\s+\S+$/i.test(header)) return undefined;
      return auth.authenticate(header.replace(/^Bearer\s+/i, ''));
    },
  };
  return { identity: { auth, accounts }, desk, items, rules, problems, rounds, audit, auth: resolver, documents, inbox, taskList, excel, dashboard, deliberation, experiences, assessments, ledgerViews, calendar, units };
}
