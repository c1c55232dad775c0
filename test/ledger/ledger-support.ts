import type { LocalDate } from '@reform/calendar';
import type { PlanView } from '@reform/machine';
import type { PlanScope } from '@reform/platform';
import type { DataSource } from 'typeorm';

/** What the ledger holds for one plan, read back with plain SQL (no code under test). */
export interface LedgerState {
  plan: {
    title: string;
    procedureId: string;
    procedureVersion: number;
    stageId: string;
    stageLabel: string;
    status: string;
    regionPath: string | null;
    leadUnitId: string | null;
    specialGroupId: string | null;
    nextDue: string | null;
    changeCounter: number;
  };
  units: Array<[string, string]>;
  deadlines: Array<[string, string, string | null, string, string]>;
  items: Array<[string, string, string]>;
  /** The projection's letters (the JSON of the detail). */
  letters: Array<[string, number, string]>;
}

export async function ledgerState(ds: DataSource, planId: string): Promise<LedgerState | null> {
  const pg = ds.options.type === 'postgres';
  const p = pg ? '$1' : '?';
  const [plan] = await ds.query(`SELECT * FROM ledger_plans WHERE plan_id = ${p}`, [planId]);
  if (!plan) return null;
  const units = await ds.query(`SELECT unit_id, relation FROM ledger_plan_units WHERE plan_id = ${p} ORDER BY relation, unit_id`, [planId]);
  const deadlines = await ds.query(`SELECT deadline_key, label, rule_id, due, status FROM ledger_deadlines WHERE plan_id = ${p} ORDER BY deadline_key`, [planId]);
  const items = await ds.query(`SELECT item_id, title, status FROM ledger_items WHERE plan_id = ${p} ORDER BY item_id`, [planId]);
  const projection = JSON.parse(plan.projection) as { letters: Array<{ number: string; level: number; date: string }> };
  return {
    plan: {
      title: plan.title,
      procedureId: plan.procedure_id,
      procedureVersion: Number(plan.procedure_version),
      stageId: plan.stage_id,
      stageLabel: plan.stage_label,
      status: plan.status,
      regionPath: plan.region_path,
      leadUnitId: plan.lead_unit_id,
      specialGroupId: plan.special_group_id,
      nextDue: plan.next_due,
      changeCounter: Number(plan.change_counter),
    },
    units: units.map((u: { unit_id: string; relation: string }) => [u.relation, u.unit_id]),
    deadlines: deadlines.map((d: { deadline_key: string; label: string; rule_id: string | null; due: string; status: string }) => [d.deadline_key, d.label, d.rule_id, d.due, d.status]),
    items: items.map((i: { item_id: string; title: string; status: string }) => [i.item_id, i.title, i.status]),
    letters: projection.letters.map((l) => [l.number, l.level, l.date]),
  };
}

const byFirst = <T extends unknown[]>(a: T, b: T) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0);

/**
 * What the ledger must hold for a plan, written from the plan's own view and the ledger's rules
 * (issue 8 §3): a met deadline is done, a cancelled one cancelled, an open one overdue once its
 * due date has passed (the view's `late`), open otherwise; the next due date is the earliest of
 * the open ones; units by their relation to the plan.
 */
export function expectedLedger(view: PlanView, scope: PlanScope | null): Omit<LedgerState, 'plan'> & { plan: Omit<LedgerState['plan'], 'changeCounter'> } {
  const open = view.deadlines.filter((d) => d.status === 'open').map((d) => d.due as LocalDate);
  const units: Array<[string, string]> = scope
    ? [
        ['lead', scope.leadUnitId],
        ...(scope.specialGroupId ? [['group', scope.specialGroupId] as [string, string]] : []),
        ...[...new Set(scope.participatingUnitIds)].map((u): [string, string] => ['participant', u]),
      ]
    : [];
  return {
    plan: {
      title: view.plan.title,
      procedureId: view.procedure.id,
      procedureVersion: view.procedure.version,
      stageId: view.stage.id,
      stageLabel: view.stage.label,
      status: view.finished ? 'closed' : 'open',
      regionPath: scope?.regionPath ?? null,
      leadUnitId: scope?.leadUnitId ?? null,
      specialGroupId: scope?.specialGroupId ?? null,
      nextDue: open.length ? [...open].sort()[0] : null,
    },
    units: units.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)),
    deadlines: view.deadlines
      .map((d): [string, string, string | null, string, string] => [
        d.key,
        d.label,
        d.source || null,
        d.due,
        d.status === 'met' ? 'done' : d.status === 'cancelled' ? 'cancelled' : d.late ? 'overdue' : 'open',
      ])
      .sort(byFirst),
    items: Object.entries(view.items)
      .map(([id, item]): [string, string, string] => [id, item.title, item.status])
      .sort(byFirst),
    letters: view.letters.map((l): [string, number, string] => [l.number, l.level, l.issuedOn]),
  };
}

/** A plan's units as ids in a region: lead unit, special group and participants named after the region. */
export function scopeIn(regionPath: string, n: number): PlanScope {
  const tag = regionPath.split('/').filter(Boolean).join('-');
  return {
    regionPath,
    leadUnitId: `${tag}-lead-${n % 3}`,
    specialGroupId: `${tag}-group-${n % 2}`,
    participatingUnitIds: [`${tag}-dept-${n % 4}`, `${tag}-dept-${(n + 1) % 4}`],
  };
}
