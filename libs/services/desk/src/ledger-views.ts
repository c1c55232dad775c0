import type { AuditService } from '@reform/audit';
import { ConflictError, NotFoundError } from '@reform/config';
import { LedgerQuerySchema } from '@reform/ledger';
import { inWriteTurn, isUniqueViolation, LedgerViewEntity, LedgerViewRow } from '@reform/persistence';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Caller, PlanDesk } from './plan-desk';
import { parse } from './parse';
import { requestKeyedId } from './requests';

/** How many views one user may keep. */
export const LEDGER_VIEWS_MAX = 50;

/**
 * The filters a view keeps: those of `GET /api/plans` (the ledger's query, checked by its schema),
 * without the page (limit, cursor), which a view does not keep.
 */
const ViewFiltersSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: '筛选条件的值应为文字、数字或 true/false' }))
  .superRefine((filters, ctx) => {
    for (const key of ['limit', 'cursor']) if (key in filters) ctx.addIssue({ code: 'custom', path: [key], message: '视图不保存分页(limit、cursor)' });
    const r = LedgerQuerySchema.omit({ limit: true, cursor: true }).safeParse(filters);
    if (!r.success)
      for (const i of r.error.issues)
        ctx.addIssue({ code: 'custom', path: i.path, message: i.code === 'unrecognized_keys' ? `未知的筛选条件 ${i.keys.join('、')}` : i.message });
  });

export const SaveLedgerViewSchema = z
  .strictObject({
    name: z.string().trim().min(1, '须写明视图名称').max(50, '视图名称最长 50 个字').meta({ description: '视图名称,如「本月到期的省级方案」;同一用户的视图不重名' }),
    filters: ViewFiltersSchema.meta({ description: '台账的筛选条件,即 GET /api/plans 的查询参数(不含 limit、cursor),如 { "level": "province", "overdue": "true" }' }),
  })
  .meta({ id: 'SaveLedgerView' });
export type SaveLedgerView = z.input<typeof SaveLedgerViewSchema>;

export interface LedgerView {
  id: string;
  name: string;
  /** The filters as query string parameters. */
  filters: Record<string, string>;
  createdAt: string;
}

export interface LedgerViewDeskDeps {
  desk: PlanDesk;
  audit: AuditService;
  db: DataSource;
}

const viewNotFound = (id: string) => new NotFoundError(`没有找到台账视图「${id.slice(0, 100)}」`);
const ViewIdSchema = z.uuid();

function out(row: LedgerViewRow): LedgerView {
  return { id: row.id, name: row.name, filters: JSON.parse(row.filters) as Record<string, string>, createdAt: row.createdAt };
}

/**
 * Saved views of the ledger (台账视图): a user keeps the filters of the ledger under a name of
 * their own, lists, opens and deletes them. A view is its user's alone (another user's view
 * answers 404); saving and deleting are audited, in the change's transaction; a request repeated
 * with the same request id does what the first did, once (requests.ts).
 */
export class LedgerViewDesk {
  constructor(private readonly deps: LedgerViewDeskDeps) {}

  private repo() {
    return this.deps.db.getRepository(LedgerViewEntity);
  }

  async list(caller: Caller): Promise<LedgerView[]> {
    await this.deps.desk.whoIs(caller);
    const rows = await this.repo().find({ where: { userId: caller.principal.userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(out);
  }

  async get(caller: Caller, id: string): Promise<LedgerView> {
    return out(await this.mine(caller, id));
  }

  private async mine(caller: Caller, id: string): Promise<LedgerViewRow> {
    if (!ViewIdSchema.safeParse(id).success) throw viewNotFound(id);
    const row = await this.repo().findOneBy({ id });
    if (!row || row.userId !== caller.principal.userId) throw viewNotFound(id);
    return row;
  }

  /** Keeps the filters under the name (unique among the user's views: 409 otherwise). */
  async save(caller: Caller, body: SaveLedgerView): Promise<LedgerView> {
    const input = parse(SaveLedgerViewSchema, body);
    const { unit, name: actorName } = await this.deps.desk.whoIs(caller);
    const id = requestKeyedId('ledger-view', caller);
    const again = await this.repo().findOneBy({ id });
    if (again && again.userId === caller.principal.userId) return out(again);
    const filters = Object.fromEntries(Object.entries(input.filters).map(([k, v]) => [k, String(v)]));
    const row: LedgerViewRow = { id, userId: caller.principal.userId, name: input.name, filters: JSON.stringify(filters), createdAt: new Date().toISOString() };
    const taken = () => new ConflictError(`已有名为「${input.name}」的台账视图,请换一个名称或先删除原视图`);
    if (await this.repo().findOneBy({ userId: row.userId, name: row.name })) throw taken();
    if ((await this.repo().countBy({ userId: row.userId })) >= LEDGER_VIEWS_MAX) throw new ConflictError(`每个用户最多保存 ${LEDGER_VIEWS_MAX} 个台账视图,请先删除不用的视图`);
    try {
      await inWriteTurn(this.deps.db, () =>
        this.deps.db.transaction(async (m) => {
          await m.getRepository(LedgerViewEntity).insert(row);
          await this.deps.audit.record(
            {
              action: 'ledger_view.saved',
              actor: { userId: caller.principal.userId, name: actorName, unitId: unit.id },
              target: { type: 'ledger_view', id },
              after: { name: row.name, filters },
              requestId: caller.requestId,
            },
            m,
          );
        }),
      );
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // The same request, repeated while the first was writing: the first one's view; else the name is taken.
      const first = await this.repo().findOneBy({ id });
      if (first && first.userId === row.userId) return out(first);
      throw taken();
    }
    return out(row);
  }

  /** Deletes one of the user's views; repeated with the same request id, it answers as the first did. */
  async delete(caller: Caller, id: string): Promise<void> {
    const { unit, name } = await this.deps.desk.whoIs(caller);
    if (caller.requestId && ViewIdSchema.safeParse(id).success && (await this.deps.audit.byRequest({ type: 'ledger_view', id }, caller.requestId, caller.principal.userId, ['ledger_view.deleted']))) return;
    const row = await this.mine(caller, id);
    await inWriteTurn(this.deps.db, () =>
      this.deps.db.transaction(async (m) => {
        await m.getRepository(LedgerViewEntity).delete({ id: row.id });
        await this.deps.audit.record(
          {
            action: 'ledger_view.deleted',
            actor: { userId: caller.principal.userId, name, unitId: unit.id },
            target: { type: 'ledger_view', id: row.id },
            before: { name: row.name, filters: JSON.parse(row.filters) as unknown },
            requestId: caller.requestId,
          },
          m,
        );
      }),
    );
  }
}
