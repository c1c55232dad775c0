import type { LocalDate } from '@reform/calendar/core';
import type { ItemStatus } from '@reform/definitions/core';
import type { PlanScope } from '@reform/platform';
import type { PlanView } from './view';

/**
 * How a deadline occurrence stands in the ledger: `done` once met, `overdue` while open past its
 * due date (as of the projection's `today`), `cancelled` when the plan no longer owes it.
 */
export type LedgerDeadlineStatus = 'open' | 'done' | 'overdue' | 'cancelled';

export interface ProjectedDeadline {
  key: string;
  label: string;
  /** The rule the obligation comes from (A9, S3, …); null for a deadline a later version withdrew. */
  ruleId: string | null;
  due: LocalDate;
  status: LedgerDeadlineStatus;
  /** Ladder levels whose letters went out, in the order sent. */
  lettersSent: number[];
}

/**
 * A plan as the ledger (a database read model) keeps it: what lists filter and sort on and what a
 * detail shows, written by the workflow after every change of the plan (issue 8, §3). Ordered by
 * `changeCounter`: a projection whose counter is not above the stored one changes nothing.
 */
export interface PlanProjection {
  planId: string;
  procedure: { id: string; version: number; title: string };
  title: string;
  attributes: Record<string, boolean>;
  stage: { id: string; label: string };
  status: 'open' | 'closed';
  /** The units as ids of the unit directory; null for a plan registered without them. */
  scope: PlanScope | null;
  /** The units by name, as the plan was registered. */
  units: { leadUnit: string; specialGroup: string; participatingUnits: string[] };
  people: { leader: string; person: string };
  deadlines: ProjectedDeadline[];
  /** The earliest due date of an open deadline (overdue ones included); null when none is open. */
  nextDue: LocalDate | null;
  /** Some deadline is open past its due date, as of `today`. */
  overdue: boolean;
  items: Array<{ id: string; title: string; status: ItemStatus }>;
  letters: Array<{ number: string; kind: string; level: number; date: LocalDate; deadlineKey: string }>;
  /** Grows with every change of the plan's state, across runs (continue-as-new). */
  changeCounter: number;
  /** When the plan last changed (workflow time, ISO 8601). */
  updatedAt: string;
  /** The local date (Asia/Shanghai) the statuses were read on. */
  today: LocalDate;
}

/**
 * An action a signed-in user took on the plan, for the audit trail (A15 全程留痕). The workflow
 * keeps it until the ledger write of its change has landed, and that write records it in the
 * same transaction, once per (plan, revision): neither a worker crashed between the action and
 * the write nor a retried write loses or doubles it.
 */
export interface AuditedAct {
  /** The plan's change counter after the act: with the plan id, what makes its audit row unique. */
  revision: number;
  /**
   * What the row records: an action taken (`plan.act`, the default) or the plan's registration
   * (`plan.registered`, at the first change counter, written with the plan's first ledger row).
   */
  audit?: 'plan.act' | 'plan.registered';
  /** When the act was taken (workflow time, ISO 8601). */
  at: string;
  actor: { userId: string; name: string; unitId: string | null };
  /** The request that asked for it (API request id, or the CLI command's). */
  requestId: string | null;
  before: { stage: string } | null;
  /**
   * An act: action, role, businessDate, stage, finished, reason, item (and the caller's notes);
   * a registration: procedure, version, title, leadUnitId, specialGroupId, attributes.
   */
  after: { [field: string]: unknown; item?: AuditedItem };
}

/** An item change as its act's audit row records it: the command's fields and the item as it stood after. */
export interface AuditedItem {
  id: string;
  title?: string;
  status?: string;
  /** The item after the act (absent from rows of acts taken before the engine recorded it). */
  after?: { title: string; status: string };
}

/** What the ledger write after a change carries: the plan's projection and the acts it audits. */
export interface LedgerWrite {
  projection: PlanProjection;
  acts: AuditedAct[];
}

/** The workflow's I/O for the ledger; implemented in @reform/activities. */
export interface LedgerActivities {
  /**
   * Writes the projection unless the ledger holds one with the same or a higher counter; answers
   * whether it wrote. In the same transaction, appends the audit row of each act not yet recorded.
   */
  projectPlan(projection: PlanProjection, acts?: AuditedAct[]): Promise<{ applied: boolean }>;
}

function deadlineStatus(d: PlanView['deadlines'][number]): LedgerDeadlineStatus {
  if (d.status === 'met') return 'done';
  if (d.status === 'cancelled') return 'cancelled';
  return d.late ? 'overdue' : 'open';
}

/** The ledger's projection of a plan, read from the plan's own view (nothing is computed twice). */
export function planProjection(view: PlanView, change: { counter: number; at: number }): PlanProjection {
  const deadlines = view.deadlines.map(
    (d): ProjectedDeadline => ({
      key: d.key,
      label: d.label,
      ruleId: d.source || null,
      due: d.due,
      status: deadlineStatus(d),
      lettersSent: d.letters.map((l) => l.level),
    }),
  );
  const open = deadlines.filter((d) => d.status === 'open' || d.status === 'overdue').map((d) => d.due);
  const { plan } = view;
  const scope = plan.scope;
  return {
    planId: view.workflowId,
    procedure: { ...view.procedure },
    title: plan.title,
    attributes: { ...view.attributes },
    stage: { id: view.stage.id, label: view.stage.label },
    status: view.finished ? 'closed' : 'open',
    scope: scope
      ? {
          regionPath: scope.regionPath,
          leadUnitId: scope.leadUnitId,
          ...(scope.specialGroupId === undefined ? {} : { specialGroupId: scope.specialGroupId }),
          participatingUnitIds: [...(scope.participatingUnitIds ?? [])],
        }
      : null,
    units: { leadUnit: plan.leadUnit, specialGroup: plan.specialGroup, participatingUnits: [...(plan.participatingUnits ?? [])] },
    people: { leader: plan.responsibleLeader, person: plan.responsiblePerson },
    deadlines,
    nextDue: open.length ? open.reduce((a, b) => (b < a ? b : a)) : null,
    overdue: deadlines.some((d) => d.status === 'overdue'),
    items: Object.entries(view.items)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, item]) => ({ id, title: item.title, status: item.status })),
    letters: view.letters.map((l) => ({ number: l.number, kind: l.kind, level: l.level, date: l.issuedOn, deadlineKey: l.deadlineKey })),
    changeCounter: change.counter,
    updatedAt: new Date(change.at).toISOString(),
    today: view.today,
  };
}
