import type { Schemas } from '../api/client';

/** Supervision rounds' pure logic (督察轮次, S3, S2): status colours, verification, closing. */

export type RoundTaskStatus = Schemas['RoundTask']['status'];
export type ItemStatus = 'not_started' | 'started' | 'completed';

export const ROUND_STATUS_COLOR: Record<Schemas['Round']['status'], string> = { opening: 'gold', open: 'blue', closed: 'default' };
export const TASK_STATUS_COLOR: Record<RoundTaskStatus, string> = { inspecting: 'orange', verification: 'gold', verified: 'green' };

/** The name a round is opened under by default: 2026年年中集中督察 (S3). */
export const defaultRoundName = (year: number) => `${year}年年中集中督察`;

export const roundHref = (id: string) => `#/rounds/${encodeURIComponent(id)}`;

/**
 * The findings the office sends when it verifies a task: only the items it finds otherwise than
 * the unit reported them (the API finds an item not listed as it was reported).
 */
export function verificationItems(
  items: Array<{ itemId: string; selfInspection: { status: ItemStatus } | null }>,
  found: Record<string, ItemStatus | undefined>,
  notes: Record<string, string | undefined> = {},
): Array<{ itemId: string; status: ItemStatus; note?: string }> {
  const out: Array<{ itemId: string; status: ItemStatus; note?: string }> = [];
  for (const i of items) {
    const status = found[i.itemId];
    const note = notes[i.itemId]?.trim();
    if (status && (status !== i.selfInspection?.status || note)) out.push({ itemId: i.itemId, status, ...(note ? { note } : {}) });
  }
  return out;
}

/** Whether the office may close the round now, and if not, why (the API answers 409 likewise). */
export function closeState(r: Pick<Schemas['Round'], 'status' | 'counts'>): { canClose: boolean; why: string | null } {
  if (r.status === 'closed') return { canClose: false, why: '本轮督察已结束' };
  if (r.status === 'opening') return { canClose: false, why: '自查任务仍在生成中' };
  const pending = r.counts.tasks - r.counts.verified;
  return pending > 0 ? { canClose: false, why: `尚有 ${pending} 项自查任务未核查认定` } : { canClose: true, why: null };
}

/**
 * The lead unit's self-inspection (自查): every item of the task exactly once (the API refuses a
 * report missing one), in the status chosen or else the one it had at the opening, with its note.
 */
export function selfInspectionItems(
  items: Array<{ itemId: string; statusAtOpening: ItemStatus }>,
  chosen: Record<string, ItemStatus | undefined>,
  notes: Record<string, string | undefined> = {},
): Array<{ itemId: string; status: ItemStatus; note?: string; evidenceIds: string[] }> {
  return items.map((i) => {
    const note = notes[i.itemId]?.trim();
    return { itemId: i.itemId, status: chosen[i.itemId] ?? i.statusAtOpening, ...(note ? { note } : {}), evidenceIds: [] };
  });
}
