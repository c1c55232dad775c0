import { UserError } from '@reform/config';
import type { LedgerPage } from '@reform/ledger';
import { ExcelExportDesk, LEDGER_EXPORT_MAX_ROWS } from './excel-export';
import type { PlanDesk } from './plan-desk';
import { cellDate } from './xlsx';

describe('a date as a clerk writes it in a cell', () => {
  it('reads Excel dates, serial numbers and the usual ways of writing one', () => {
    expect(cellDate(new Date(Date.UTC(2030, 2, 1)))).toBe('2030-03-01');
    // Excel serial 47543 is 2030-03-01 (days since 1899-12-30).
    expect(cellDate(47543)).toBe('2030-03-01');
    for (const text of ['2030-03-01', '2030-3-1', '2030/3/1', '2030.03.01', '2030年3月1日', '2030 年 3 月 1 日']) expect([text, cellDate(text)]).toEqual([text, '2030-03-01']);
  });
  it('refuses what is not a real date', () => {
    for (const v of ['2030年13月1日', '2030-02-30', '明年三月', '3/1/2030', 1.5, '']) expect([v, cellDate(v)]).toEqual([v, undefined]);
  });
});

describe('the ledger export', () => {
  /** A desk whose ledger has `total` plans, paged as the ledger pages them. */
  const deskWith = (total: number) => {
    const pages: Array<number | undefined> = [];
    const desk = {
      list: async (_caller: unknown, q: { limit?: number; cursor?: string }): Promise<LedgerPage> => {
        const from = q.cursor ? Number(q.cursor) : 0;
        const limit = q.limit ?? 20;
        pages.push(limit);
        const rows = Array.from({ length: Math.max(0, Math.min(limit, total - from)) }, (_, i) => ({ planId: `p-${from + i}` }) as LedgerPage['rows'][number]);
        return { rows, nextCursor: from + limit < total ? String(from + limit) : null };
      },
    } as unknown as PlanDesk;
    return { desk, pages };
  };
  const caller = { principal: { userId: 'u' } } as never;

  it('reads every page of the filter', async () => {
    const { desk, pages } = deskWith(250);
    const rows = await new ExcelExportDesk({ desk, items: {} as never, directory: {} as never, definitions: {} as never }).ledgerRows(caller, {});
    expect(rows.map((r) => r.planId)).toEqual(Array.from({ length: 250 }, (_, i) => `p-${i}`));
    expect(pages).toEqual([100, 100, 100]);
  });

  it('refuses a filter matching more plans than one export holds, saying what to do', async () => {
    const { desk } = deskWith(LEDGER_EXPORT_MAX_ROWS + 1);
    const run = new ExcelExportDesk({ desk, items: {} as never, directory: {} as never, definitions: {} as never }).ledgerRows(caller, {});
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(`符合筛选条件的方案超过 ${LEDGER_EXPORT_MAX_ROWS} 个`);
    const { desk: exact } = deskWith(LEDGER_EXPORT_MAX_ROWS);
    expect(await new ExcelExportDesk({ desk: exact, items: {} as never, directory: {} as never, definitions: {} as never }).ledgerRows(caller, {})).toHaveLength(LEDGER_EXPORT_MAX_ROWS);
  });
});
