import { UserError } from '@reform/config';
import { DOCUMENT_FORMATS, DocumentFormat, LetterDocuments } from '@reform/desk';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { letters, withDatabase } from '../context';
import { formatLetterLine } from '../format';
import { SignIn, withDesk } from '../session';

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

export interface ExportOptions extends SignIn {
  format?: string;
  out?: string;
}

/**
 * `reform letter-export <文号>`: the letter as an official document (.docx or .pdf), for the
 * signed-in user, through the same LetterDocuments as GET /api/letters/{id}/document.{docx,pdf}
 * (a letter outside the user's scope is not found).
 */
export async function letterExport(ref: string, o: ExportOptions): Promise<number> {
  const format = (o.format ?? (o.out?.toLowerCase().endsWith('.docx') ? 'docx' : o.out?.toLowerCase().endsWith('.pdf') ? 'pdf' : undefined)) as DocumentFormat | undefined;
  if (!format || !DOCUMENT_FORMATS.includes(format)) throw new UserError(`--format 应为 ${DOCUMENT_FORMATS.join(' 或 ')}`);
  return withDesk(o, async (desk, caller, _plans, { db, cfg }) => {
    // A 文号 names the letter; its id (as the API's) is taken as it is.
    const id = (await letters(db).byNumber(ref))?.id ?? ref;
    const file = await new LetterDocuments({ desk, office: cfg.office, fontDir: cfg.documents.fontDir }).file(caller, id, format);
    const out = resolve(o.out ?? file.filename);
    await writeFile(out, file.data);
    console.log(`已写入 ${out}(${file.data.length} 字节)`);
    return 0;
  });
}
