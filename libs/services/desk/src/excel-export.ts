import { localDateAt } from '@reform/calendar';
import { UserError } from '@reform/config';
import type { UnitDirectory } from '@reform/identity';
import { LedgerListRow, LedgerQuery, LedgerQuerySchema, LEDGER_PAGE_MAX } from '@reform/ledger';
import type { DefinitionStore } from '@reform/persistence';
import { z } from 'zod';
import type { ItemDesk } from './item-desk';
import type { Caller, PlanDesk } from './plan-desk';
import { excelDate, newWorkbook, tableSheet, workbookBytes, XlsxFile, zhDate } from './xlsx';

/** The most plans one ledger export holds; a filter matching more is refused with a sentence saying so. */
export const LEDGER_EXPORT_MAX_ROWS = 5000;

/** The ledger export's filters: those of the ledger list (GET /api/plans), every page at once. */
export const LedgerExportQuerySchema = LedgerQuerySchema.omit({ limit: true, cursor: true });
export type LedgerExportQuery = z.input<typeof LedgerExportQuerySchema>;

/** The headers of the ledger export, in order. */
export const LEDGER_EXPORT_HEADERS = ['序号', '方案编号', '方案名称', '流程', '当前阶段', '办理状态', '地区', '牵头单位', '所属专项小组', '最近时限', '是否逾期', '最后更新'] as const;
/** The headers of a plan's items export, in order: 督察范围 and 认定完成 say whether supervision still covers the item (S2). */
export const ITEMS_EXPORT_HEADERS = ['序号', '事项编号', '事项名称', '状态', '最近更新', '督察范围', '认定完成'] as const;

/** The 督察范围 column: an item a verified supervision round found completed leaves supervision scope (S2). */
export const SUPERVISION_SCOPE_LABEL = { in: '在督察范围内', out: '已退出督察范围' } as const;

const STATUS_LABEL: Record<LedgerListRow['status'], string> = { open: '办理中', closed: '已办结' };

/** A file name without the characters file systems refuse. */
const safeName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120);

export interface ExcelExportDeps {
  desk: PlanDesk;
  items: ItemDesk;
  directory: UnitDirectory;
  definitions: DefinitionStore;
  /** "Today", for the file name (the server's clock). */
  now?: () => number | Promise<number>;
}

/**
 * Workbooks of what a user sees on screen, in Chinese: the ledger as filtered (every page, in
 * the caller's scope, through the same PlanDesk.list as GET /api/plans) and a plan's specific
 * reform items with their statuses (through ItemDesk.list). Labels instead of ids: stage labels,
 * procedure titles, unit and region names; dates as Excel dates shown 2026年3月1日.
 */
export class ExcelExportDesk {
  constructor(private readonly deps: ExcelExportDeps) {}

  private async today(): Promise<string> {
    return localDateAt(await (this.deps.now ?? Date.now)());
  }

  /** Every row of the ledger the filter selects in the caller's scope; refused beyond LEDGER_EXPORT_MAX_ROWS. */
  async ledgerRows(caller: Caller, query: LedgerExportQuery): Promise<LedgerListRow[]> {
    const rows: LedgerListRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.desk.list(caller, { ...(query as LedgerQuery), limit: LEDGER_PAGE_MAX, cursor });
      rows.push(...page.rows);
      if (rows.length > LEDGER_EXPORT_MAX_ROWS) {
        throw new UserError(`符合筛选条件的方案超过 ${LEDGER_EXPORT_MAX_ROWS} 个,一次导出不了:请缩小筛选范围(如按单位、地区、流程或阶段)后分几次导出`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return rows;
  }

  async ledger(caller: Caller, query: LedgerExportQuery): Promise<XlsxFile> {
    const rows = await this.ledgerRows(caller, query);
    const [units, regions] = await Promise.all([this.deps.directory.units(), this.deps.directory.regions()]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const regionName = new Map(regions.map((r) => [r.path, r.name]));
    const titles = new Map<string, string>();
    for (const r of rows) {
      const key = `${r.procedure.id}@${r.procedure.version}`;
      if (!titles.has(key)) titles.set(key, (await this.deps.definitions.get(r.procedure.id, r.procedure.version))?.title ?? r.procedure.id);
    }
    const today = await this.today();
    const wb = await newWorkbook('方案台账');
    const widths = [6, 34, 40, 16, 20, 10, 14, 28, 28, 16, 10, 16];
    const dates = new Set(['最近时限', '最后更新']);
    const ws = tableSheet(
      wb,
      '方案台账',
      LEDGER_EXPORT_HEADERS.map((header, i) => ({ header, width: widths[i], date: dates.has(header) })),
    );
    rows.forEach((r, i) => {
      const name = (id: string | null) => (id ? (unitName.get(id) ?? id) : '');
      ws.addRow([
        i + 1,
        r.planId,
        r.title,
        titles.get(`${r.procedure.id}@${r.procedure.version}`),
        r.stage.label,
        STATUS_LABEL[r.status],
        r.regionPath ? (regionName.get(r.regionPath) ?? r.regionPath) : '',
        name(r.leadUnitId),
        name(r.specialGroupId),
        r.nextDue ? excelDate(r.nextDue) : null,
        r.overdue ? '是' : '否',
        excelDate(localDateAt(Date.parse(r.updatedAt))),
      ]);
    });
    return { filename: `方案台账-${zhDate(today)}导出.xlsx`, body: await workbookBytes(wb) };
  }

  /**
   * A plan's specific reform items (S2) with their status labels and whether supervision still
   * covers each (an item a verified round found completed has left its scope, with the round
   * that found it); not found outside the caller's scope.
   */
  async items(caller: Caller, planId: string): Promise<XlsxFile> {
    const { items } = await this.deps.items.list(caller, planId);
    const { view } = await this.deps.desk.live(caller, planId);
    const wb = await newWorkbook(`${view.plan.title}:具体改革事项`);
    const widths = [6, 12, 50, 16, 16, 16, 36];
    const ws = tableSheet(
      wb,
      '具体改革事项',
      ITEMS_EXPORT_HEADERS.map((header, i) => ({ header, width: widths[i], date: header === '最近更新' })),
    );
    items.forEach((item, i) => {
      const found = item.supervision?.foundCompleted;
      const scope = item.supervision?.inScope === false ? SUPERVISION_SCOPE_LABEL.out : SUPERVISION_SCOPE_LABEL.in;
      const foundBy = found ? `${found.roundName}${found.verifiedOn ? `(${zhDate(found.verifiedOn)}验收)` : ''}认定已完成` : null;
      ws.addRow([i + 1, item.id, item.title, item.statusLabel, excelDate(item.updatedOn), scope, foundBy]);
    });
    return { filename: `${safeName(view.plan.title)}-具体改革事项.xlsx`, body: await workbookBytes(wb) };
  }
}
