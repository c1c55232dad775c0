import { inPool } from '@reform/config';
import type { PlanProjection } from '@reform/machine';
import { AuditStore, LedgerStore, LetterStore } from '@reform/persistence';
import { projectionQuery } from '@reform/workflows';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';

/**
 * What must hold on a cluster after load and faults (the cluster test and `npm run bench:scale`
 * both check it here): every letter the plans' workflows issued is in the product's database
 * exactly once, numbered 1, 2, 3 … in its year with no gap; every plan's ledger row is the
 * workflow's own projection; the audit chain verifies and records each letter once. Answers the
 * problems found (empty when all hold) with the figures it saw; it throws only when it cannot read.
 */
export interface InvariantReport {
  /** Plans checked: the caller's, and those the ledger holds besides. */
  plans: number;
  /** Plans in the ledger the caller did not list. */
  extraPlans: number;
  letters: { count: number; byYear: Record<string, number>; byKind: Record<string, number> };
  ledger: { checked: number; equal: number };
  audit: { ok: boolean; rows: number };
  /** Each problem in a line: the plan or letter, and what differs. */
  problems: string[];
  /** The workflows' own projections, by plan id (for the caller's own expectations). */
  projections: Map<string, PlanProjection>;
}

/** 改办函〔2026〕12号: the prefix, the year, the serial. */
const OFFICIAL_NUMBER = /^(.*)〔(\d{4})〕(\d+)号$/;

/** Runs `work` over `items`, `n` at a time. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The projection without what depends on the day it was read (`today`, and `overdue` only when the days differ). */
function comparable(p: PlanProjection, today: string): Omit<PlanProjection, 'today'> {
  const { today: day, ...rest } = p;
  return day === today ? rest : { ...rest, overdue: false };
}

export interface InvariantOptions {
  /** The plans the caller registered; the ledger's other plans are checked too, and letters of any other workflow are a problem. */
  plans: string[];
  /** How long a ledger row may take to catch up with its workflow (the projection is written after the change). */
  ledgerWaitMs?: number;
  /** Queries to Temporal at once. */
  concurrency?: number;
}

export async function checkClusterInvariants(ds: DataSource, client: Client, opts: InvariantOptions): Promise<InvariantReport> {
  const problems: string[] = [];
  const concurrency = opts.concurrency ?? 16;
  const letters = await new LetterStore(ds).all();
  const known = new Set(opts.plans);
  // Plans in the ledger the caller does not know (a registration sent again after its answer was lost): checked like the others.
  const ledgerIds = ((await ds.query('SELECT plan_id FROM ledger_plans')) as Array<{ plan_id: string }>).map((r) => r.plan_id);
  const extra = ledgerIds.filter((id) => !known.has(id));
  for (const id of extra) known.add(id);
  const strangers = [...new Set(letters.map((l) => l.workflowId).filter((id) => !known.has(id)))];
  for (const id of strangers) problems.push(`letters of a plan neither the run nor the ledger knows: ${id}`);
  const ids = [...opts.plans, ...extra, ...strangers];

  // Each workflow's own projection, and the ledger row caught up with it (same change counter).
  const ledger = new LedgerStore(ds);
  const projections = new Map<string, PlanProjection>();
  let equal = 0;
  await inPool(ids, concurrency, async (id) => {
    const handle = client.workflow.getHandle(id);
    const deadline = Date.now() + (opts.ledgerWaitMs ?? 120_000);
    for (;;) {
      let own: PlanProjection;
      try {
        own = await handle.query(projectionQuery);
      } catch (e) {
        problems.push(`${id}: the workflow does not answer its projection query (${e instanceof Error ? e.message : String(e)})`);
        return;
      }
      projections.set(id, own);
      const row = await ledger.projection(id);
      if (row && row.changeCounter === own.changeCounter) {
        const same = JSON.stringify(comparable(row, own.today)) === JSON.stringify(comparable(own, own.today));
        if (same) equal++;
        else problems.push(`${id}: the ledger row differs from the workflow's projection at change ${own.changeCounter}`);
        return;
      }
      if (Date.now() > deadline) {
        problems.push(`${id}: the ledger ${row ? `is at change ${row.changeCounter}` : 'has no row'}, the workflow at ${own.changeCounter}`);
        return;
      }
      await sleep(500);
    }
  });

  // Letters: those each workflow lists, each once in the database, under unbroken numbers.
  const byWorkflow = new Map<string, typeof letters>();
  for (const l of letters) byWorkflow.set(l.workflowId, [...(byWorkflow.get(l.workflowId) ?? []), l]);
  for (const id of ids) {
    const p = projections.get(id);
    if (!p) continue;
    const rows = byWorkflow.get(id) ?? [];
    const stored = rows.map((r) => r.number).sort();
    const listed = p.letters.map((l) => l.number).sort();
    if (JSON.stringify(stored) !== JSON.stringify(listed)) problems.push(`${id}: letters in the database ${stored.join(' ') || '(none)'}, the workflow lists ${listed.join(' ') || '(none)'}`);
    if (new Set(rows.map((r) => r.idempotencyKey)).size !== rows.length) problems.push(`${id}: a letter stored twice under one idempotency key`);
  }
  for (const r of letters) {
    const m = OFFICIAL_NUMBER.exec(r.number);
    if (!m || m[1] !== r.numberPrefix || m[2] !== r.issuedOn.slice(0, 4) || Number(m[3]) !== r.serial || r.year !== Number(m[2])) {
      problems.push(`letter ${r.number} (${r.id}): the number does not match its prefix ${r.numberPrefix}, year ${r.year}, issue date ${r.issuedOn} and serial ${r.serial}`);
    }
  }
  const byYear: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const r of letters) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  for (const key of new Set(letters.map((r) => `${r.numberPrefix}〔${r.year}〕`))) {
    const serials = letters
      .filter((r) => `${r.numberPrefix}〔${r.year}〕` === key)
      .map((r) => r.serial)
      .sort((a, b) => a - b);
    byYear[key] = serials.length;
    const gap = serials.findIndex((s, i) => s !== i + 1);
    if (gap >= 0) problems.push(`${key}: serials not 1…${serials.length} without a gap (position ${gap + 1} holds ${serials[gap]})`);
  }

  // The audit chain, and one letter.issued row per letter.
  const audit = new AuditStore(ds);
  const verified = await audit.verify();
  if (!verified.ok) problems.push(`audit chain broken: ${JSON.stringify(verified.broken)}`);
  const issued: string[] = [];
  for (let from = 0; ; ) {
    const page = await audit.entries(from, 5_000);
    if (!page.length) break;
    issued.push(...page.filter((a) => a.action === 'letter.issued').map((a) => String(a.targetId)));
    from = page[page.length - 1].seq;
    if (page.length < 5_000) break;
  }
  const letterIds = letters.map((r) => r.id).sort();
  if (JSON.stringify(issued.sort()) !== JSON.stringify(letterIds)) problems.push(`audit: ${issued.length} letter.issued rows for ${letterIds.length} letters, or not one each`);

  return {
    plans: ids.length,
    extraPlans: extra.length,
    letters: { count: letters.length, byYear, byKind },
    ledger: { checked: ids.length, equal },
    audit: { ok: verified.ok, rows: verified.rowsChecked },
    problems,
    projections,
  };
}
