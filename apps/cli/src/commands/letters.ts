import { UserError } from '@reform/config';
import { letters, withDatabase } from '../context';
import { formatLetterLine } from '../format';

export async function lettersList(o: { plan?: string }): Promise<number> {
  return withDatabase(async (db) => {
    const rows = o.plan ? await letters(db).forWorkflow(o.plan) : await letters(db).all();
    if (!rows.length) console.log('还没有发出函件。');
    for (const r of rows) console.log(formatLetterLine(r));
    return 0;
  });
}

export async function letterShow(number: string): Promise<number> {
  return withDatabase(async (db) => {
    const row = await letters(db).byNumber(number);
    if (!row) throw new UserError(`没有文号为「${number}」的函件;用 npx reform letters 查看全部`);
    console.log(row.body);
    return 0;
  });
}
