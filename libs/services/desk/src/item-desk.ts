import type { AuditService } from '@reform/audit';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, TooLargeError, UnsupportedTypeError } from '@reform/config';
import { CommandSchema, ITEM_STATUS_LABEL, ItemStatus, ItemStatusSchema, LocalDateSchema, ProcessDefinition } from '@reform/definitions';
import type { PlanView } from '@reform/machine';
import { EvidenceRow, EvidenceStore, FileTooLargeError, ItemChangeRow } from '@reform/persistence';
import type { Readable } from 'node:stream';
import type { Light } from '@reform/ledger';
import { z } from 'zod';
import { DEFAULT_EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, evidenceTypeOf, sizeText } from './evidence-types';
import { Caller, PlanDesk } from './plan-desk';
import { parse } from './parse';
import { requestKeyedId } from './requests';

const EvidenceIdsSchema = z.array(z.uuid({ error: '佐证材料编号应为上传时返回的 evidenceId' })).max(20, '一次最多附 20 份佐证材料').default([]);
const NoteSchema = z.string().trim().max(500, '说明最长 500 个字').optional();
const ItemIdSchema = CommandSchema.shape.item.unwrap().shape.id;

/** A new specific reform item (S2) of a plan. */
export const AddItemSchema = z
  .strictObject({
    id: ItemIdSchema.meta({ description: '事项编号,在本方案内唯一,如 1、2-1' }),
    title: z.string().trim().min(1, '事项名称不能为空').max(200, '事项名称最长 200 个字'),
    status: ItemStatusSchema.default('not_started').meta({ description: 'not_started 未启动 / started 已启动未完成 / completed 已完成' }),
    businessDate: LocalDateSchema.optional().meta({ description: '实际发生的日期,默认今天' }),
    note: NoteSchema,
    evidenceIds: EvidenceIdsSchema,
  })
  .meta({ id: 'AddItem' });
export type AddItem = z.input<typeof AddItemSchema>;

/** A change of an item's status, with the evidence uploaded for it. */
export const ChangeItemSchema = z
  .strictObject({
    status: ItemStatusSchema.meta({ description: 'not_started 未启动 / started 已启动未完成 / completed 已完成' }),
    title: z.string().trim().min(1, '事项名称不能为空').max(200, '事项名称最长 200 个字').optional(),
    businessDate: LocalDateSchema.optional().meta({ description: '实际发生的日期,默认今天' }),
    note: NoteSchema,
    evidenceIds: EvidenceIdsSchema.meta({ description: '先上传到 …/evidence 得到的编号' }),
  })
  .meta({ id: 'ChangeItem' });
export type ChangeItem = z.input<typeof ChangeItemSchema>;

/** An evidence file's metadata as users read it. */
export interface Evidence {
  evidenceId: string;
  itemId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { name: string; unitId: string };
  uploadedAt: string;
}

export interface ItemChange {
  seq: number;
  title: string;
  statusBefore: ItemStatus | null;
  statusAfter: ItemStatus;
  statusLabel: string;
  businessDate: string;
  note: string | null;
  evidenceIds: string[];
  by: { name: string; unitId: string };
  at: string;
}

export interface ItemSummary {
  id: string;
  title: string;
  status: ItemStatus;
  statusLabel: string;
  updatedOn: string;
  /** Whether supervision still covers it: an item a reform office found completed in a round leaves its scope (S2). */
  supervision?: ItemSupervision;
}

/** An item's standing in supervision (S2): in scope, or found completed in a verified round's self-inspection. */
export interface ItemSupervision {
  inScope: boolean;
  foundCompleted: { roundId: string; roundName: string; verifiedOn: string | null } | null;
}

export interface ItemDetail extends ItemSummary {
  history: ItemChange[];
  evidence: Evidence[];
  /** Its traffic light today (亮灯, @reform/ledger lights.ts): on the detail read, not on the answer to a change. */
  light?: Light;
}

export interface ItemDeskDeps {
  desk: PlanDesk;
  evidence: EvidenceStore;
  audit: AuditService;
  /** The largest evidence file accepted (default 20 MB). */
  maxEvidenceBytes?: number;
  /** Items of a plan found completed in supervision rounds (RoundStore.completedFindings), by item id. */
  foundCompleted?: (planId: string) => Promise<Map<string, { roundId: string; roundName: string; verifiedOn: string | null }>>;
}

/** An upload as the API receives it: the name the client gave and the body as it streams in. */
export interface Upload {
  filename: string | undefined;
  /** The Content-Length the client declared, if any. */
  declaredLength?: number;
  body: AsyncIterable<Buffer | string>;
}

export const evidenceOut = (r: EvidenceRow): Evidence => ({
  evidenceId: r.id,
  itemId: r.itemId,
  filename: r.filename,
  contentType: r.contentType,
  size: r.size,
  sha256: r.sha256,
  uploadedBy: { name: r.uploaderName, unitId: r.unitId },
  uploadedAt: r.uploadedAt,
});

const changeOut = (r: ItemChangeRow): ItemChange => ({
  seq: r.seq,
  title: r.title,
  statusBefore: r.statusBefore as ItemStatus | null,
  statusAfter: r.statusAfter as ItemStatus,
  statusLabel: ITEM_STATUS_LABEL[r.statusAfter as ItemStatus] ?? r.statusAfter,
  businessDate: r.businessDate,
  note: r.note,
  evidenceIds: JSON.parse(r.evidenceIds) as string[],
  by: { name: r.actorName, unitId: r.unitId },
  at: r.at,
});

/** The procedure's item action: the one of the plan's current stage, else any (the engine then says why not now). */
function itemActionOf(definition: ProcessDefinition, view: PlanView) {
  const itemActions = definition.stages.flatMap((s) => s.actions.filter((a) => a.item).map((a) => ({ stage: s.id, action: a })));
  return itemActions.find((a) => a.stage === view.stage.id) ?? itemActions[0];
}

/** A file name a unit may give: a name, not a path; printable; at most 255 characters. */
function checkFilename(name: string | undefined): string {
  if (name === undefined || !name.trim()) throw new FieldError('query.filename', '须写明文件名(含扩展名),如 ?filename=验收报告.pdf');
  const n = name.trim();
  if (n.length > 255) throw new FieldError('query.filename', '文件名最长 255 个字符');
  if (/[/\\\u0000-\u001f\u007f]/.test(n) || n === '.' || n === '..') throw new FieldError('query.filename', '文件名不能含路径分隔符或控制字符');
  return n;
}

/** Where an evidence file goes (its plan and item keys) and how its upload is audited. */
export interface EvidenceTarget {
  planId: string;
  itemId: string;
  audit: { action: string; target: { type: string; id: string }; after: Record<string, unknown> };
}

/**
 * Receives one evidence file for a desk that has checked the caller may add it: the name's
 * extension must be an allowed kind and the bytes of that kind (415), at most the size limit
 * (413); nothing is kept of a refused file. Kept under the target's plan and item keys, audited.
 */
export async function receiveEvidence(
  deps: { store: EvidenceStore; audit: AuditService; maxBytes: number },
  who: { caller: Caller; unitId: string; name: string },
  target: EvidenceTarget,
  upload: Upload,
): Promise<EvidenceRow> {
  const { caller, unitId, name } = who;
  const { planId, itemId } = target;
  const filename = checkFilename(upload.filename);
  const type = evidenceTypeOf(filename);
  const allowed = [...new Set(EVIDENCE_TYPES.map((t) => t.extension))].join('、');
  if (!type) throw new UnsupportedTypeError(`不支持的文件类型「${filename.slice(0, 60)}」:佐证材料应为 ${allowed} 之一`);
  const max = deps.maxBytes;
  const tooLarge = () => new TooLargeError(`佐证材料过大:不得超过 ${sizeText(max)}`);
  if (upload.declaredLength !== undefined && upload.declaredLength > max) throw tooLarge();
  let file;
  try {
    file = await deps.store.receive(upload.body, max);
  } catch (e) {
    if (e instanceof FileTooLargeError) throw tooLarge();
    // The client went away mid-body: nothing was kept, and it is not the server's fault.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (e as Error).message === 'aborted') throw new FieldError('请求体', '文件未能完整接收,请重新上传');
    throw e;
  }
  if (file.size === 0) {
    await deps.store.discard(file);
    throw new FieldError('请求体', '文件为空:请求体应为文件本身的字节');
  }
  if (!type.sniff(file.head)) {
    await deps.store.discard(file);
    throw new UnsupportedTypeError(`文件「${filename.slice(0, 60)}」的内容不是${type.label}:扩展名与内容不符,未保存`);
  }
  // The row and its audit row commit together; a repeat of the request (same request id) finds the row and adds nothing (requests.ts).
  return deps.store.keep(
    file,
    {
      planId,
      itemId,
      filename,
      extension: type.extension,
      contentType: type.contentType,
      uploadedBy: caller.principal.userId,
      uploaderName: name,
      unitId,
      uploadedAt: new Date().toISOString(),
      requestId: caller.requestId ?? null,
    },
    {
      id: requestKeyedId('evidence', caller, planId, itemId, filename),
      within: async (m, row) => {
        await deps.audit.record(
          {
            action: target.audit.action,
            actor: { userId: caller.principal.userId, name, unitId },
            target: target.audit.target,
            before: null,
            after: { ...target.audit.after, evidenceId: row.id, filename, contentType: row.contentType, size: row.size, sha256: row.sha256 },
            requestId: caller.requestId,
          },
          m,
        );
      },
    },
  );
}

/**
 * The specific reform items (S2) of a plan, for a signed-in user: the engine holds each item and
 * its status (items go to the workflow as the procedure's item action, through PlanDesk, which
 * derives the role, refuses what the procedure does not allow now and audits); this desk keeps
 * each item's history and its evidence files beside it. Write-off stays the engine's: its
 * "all items completed" condition refuses it (409) while an item is open.
 */
export class ItemDesk {
  constructor(private readonly deps: ItemDeskDeps) {}

  get maxEvidenceBytes(): number {
    return this.deps.maxEvidenceBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;
  }

  private async open(caller: Caller, planId: string) {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    const reached = await this.deps.desk.reach(unit, planId);
    return { unit, name, ...reached };
  }

  /**
   * Refuses (403) a unit none of whose roles on the plan may change its items: the procedure's
   * item action names them (update_item is the lead unit's in reform-plan.rules). A special group
   * or a reform office acts on the plan but only reads its items; a participating unit only reads.
   */
  private mayChangeItems(unit: { name: string }, view: PlanView, definition: ProcessDefinition, roles: string[]): void {
    const allowed = itemActionOf(definition, view)?.action.roles ?? [];
    if (!roles.some((r) => allowed.includes(r))) throw new ForbiddenError(`${unit.name}对方案「${view.plan.title}」的具体改革事项只能查看,不能登记、更新或上传佐证材料`);
  }

  private notFound(itemId: string) {
    return new NotFoundError(`本方案没有编号为「${itemId.slice(0, 60)}」的具体改革事项`);
  }

  /** The items found completed by supervision rounds, and so out of their scope (S2). */
  private async supervisionOf(planId: string): Promise<(itemId: string) => ItemSupervision> {
    const found = (await this.deps.foundCompleted?.(planId)) ?? new Map();
    return (itemId) => {
      const f = found.get(itemId);
      return { inScope: !f, foundCompleted: f ?? null };
    };
  }

  /** The plan's items as the engine holds them now, with their standing in supervision. */
  async list(caller: Caller, planId: string): Promise<{ items: ItemSummary[] }> {
    const { view } = await this.open(caller, planId);
    const supervision = await this.supervisionOf(planId);
    const items = Object.entries(view.items)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, i]) => ({ id, title: i.title, status: i.status, statusLabel: ITEM_STATUS_LABEL[i.status], updatedOn: i.updatedOn, supervision: supervision(id) }));
    return { items };
  }

  /** One item with its history and evidence. */
  async detail(caller: Caller, planId: string, itemId: string): Promise<ItemDetail> {
    const { view } = await this.open(caller, planId);
    const item = view.items[itemId];
    if (!item) throw this.notFound(itemId);
    const [history, evidence, lights, supervision] = await Promise.all([this.deps.evidence.history(planId, itemId), this.deps.evidence.evidenceOf(planId, itemId), this.deps.desk.lightsOf(planId), this.supervisionOf(planId)]);
    return {
      id: itemId,
      title: item.title,
      status: item.status,
      statusLabel: ITEM_STATUS_LABEL[item.status],
      updatedOn: item.updatedOn,
      supervision: supervision(itemId),
      history: history.map(changeOut),
      evidence: evidence.map(evidenceOut),
      light: lights.items[itemId] ?? 'green',
    };
  }

  /** Registers a new item (409 when the id is taken). */
  async add(caller: Caller, planId: string, body: AddItem): Promise<ItemDetail> {
    const input = parse(AddItemSchema, body);
    const { unit, view, definition, access } = await this.open(caller, planId);
    this.mayChangeItems(unit, view, definition, access.roles);
    if (view.items[input.id]) throw new ConflictError(`事项编号「${input.id}」已被本方案的事项「${view.items[input.id].title}」使用;更新状态请用 PATCH`);
    if (input.evidenceIds.length) throw new FieldError('evidenceIds', '新登记的事项还没有佐证材料:请先登记事项,再上传材料并更新状态');
    return this.apply(caller, planId, { view, definition }, input.id, { title: input.title, status: input.status, businessDate: input.businessDate, note: input.note, evidenceIds: [] });
  }

  /** Changes an item's status (and title), with evidence uploaded for this item. */
  async change(caller: Caller, planId: string, itemId: string, body: ChangeItem): Promise<ItemDetail> {
    const input = parse(ChangeItemSchema, body);
    const { unit, view, definition, access } = await this.open(caller, planId);
    const prior = view.items[itemId];
    if (!prior) throw this.notFound(itemId);
    this.mayChangeItems(unit, view, definition, access.roles);
    for (const [i, id] of input.evidenceIds.entries()) {
      const row = await this.deps.evidence.evidence(id);
      if (!row || row.planId !== planId || row.itemId !== itemId) throw new FieldError(`evidenceIds.${i}`, `没有本事项的佐证材料「${id}」;请先上传到本事项`);
    }
    return this.apply(caller, planId, { view, definition }, itemId, { title: input.title ?? prior.title, status: input.status, businessDate: input.businessDate, note: input.note, evidenceIds: input.evidenceIds });
  }

  /** Sends the change to the engine as the procedure's item action, on the plan as the caller just read it. */
  private async apply(
    caller: Caller,
    planId: string,
    { view, definition }: { view: PlanView; definition: ProcessDefinition },
    itemId: string,
    c: { title: string; status: ItemStatus; businessDate?: string; note?: string; evidenceIds: string[] },
  ): Promise<ItemDetail> {
    const chosen = itemActionOf(definition, view);
    if (!chosen) throw new ConflictError(`流程「${definition.title}」没有登记具体改革事项的操作`);
    // PlanDesk derives the role, sends it to the engine, keeps the item's history and audits it.
    await this.deps.desk.act(
      caller,
      planId,
      { action: chosen.action.id, businessDate: c.businessDate, item: { id: itemId, title: c.title, status: c.status } },
      { note: c.note, evidenceIds: c.evidenceIds },
    );
    return this.detail(caller, planId, itemId);
  }

  /**
   * Receives an evidence file for an item. Only a unit acting on the plan may add one (403 for a
   * reader, 404 outside scope); the name's extension must be an allowed kind and the bytes must
   * be of that kind (415), at most the size limit (413). Nothing is kept of a refused file.
   */
  async upload(caller: Caller, planId: string, itemId: string, upload: Upload): Promise<Evidence> {
    const { unit, name, view, definition, access } = await this.open(caller, planId);
    if (!view.items[itemId]) throw this.notFound(itemId);
    this.mayChangeItems(unit, view, definition, access.roles);
    const row = await receiveEvidence(
      { store: this.deps.evidence, audit: this.deps.audit, maxBytes: this.maxEvidenceBytes },
      { caller, unitId: unit.id, name },
      { planId, itemId, audit: { action: 'item.evidence_added', target: { type: 'plan', id: planId }, after: { itemId } } },
      upload,
    );
    return evidenceOut(row);
  }

  /** An evidence file's metadata and bytes, for any reader of the plan. */
  async download(caller: Caller, planId: string, itemId: string, evidenceId: string): Promise<{ evidence: Evidence; body: Readable }> {
    await this.open(caller, planId);
    const row = await this.deps.evidence.evidence(evidenceId);
    if (!row || row.planId !== planId || row.itemId !== itemId) throw new NotFoundError(`本事项没有佐证材料「${evidenceId.slice(0, 60)}」`);
    const body = await this.deps.evidence.open(row);
    if (!body) throw new NotFoundError(`佐证材料「${row.filename}」的文件已不在存储中,请联系运维人员`);
    return { evidence: evidenceOut(row), body };
  }
}
