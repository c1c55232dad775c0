import { isLocalDate, LocalDate } from '@reform/calendar';
import { TooLargeError, UnsupportedTypeError, UserError } from '@reform/config';
import type ExcelJS from 'exceljs';
import { evidenceTypeOf, sizeText } from './evidence-types';

/** The media type of an .xlsx workbook (Office Open XML spreadsheet). */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** How dates show in the workbooks the desk writes: 2026年3月1日. */
export const ZH_DATE_FORMAT = 'yyyy"年"m"月"d"日"';

/** A workbook the desk hands out: its bytes and the file name users see (Chinese). */
export interface XlsxFile {
  filename: string;
  body: Buffer;
}

/** A local date as an Excel date cell value (midnight UTC: Excel has no time zone, and shows the date as written). */
export function excelDate(date: LocalDate): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** 2026-03-01 as users read it: 2026年3月1日. */
export function zhDate(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A column of a sheet the desk writes: its header, width (characters) and, for dates, the Chinese date format. */
export interface SheetColumn {
  header: string;
  width: number;
  date?: boolean;
}

/** Writes a header row (bold, filled, frozen, filtered) and the columns' widths and formats. */
export function tableSheet(wb: ExcelJS.Workbook, name: string, columns: SheetColumn[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.date ? { style: { numFmt: ZH_DATE_FORMAT } } : {}) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.numFmt = 'General';
  });
  header.height = 22;
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

/**
 * exceljs, loaded with the first workbook: it takes long to load (seconds on a busy machine), and
 * most processes (the worker, the CLI's other commands) and most API requests never need it.
 */
let exceljs: Promise<typeof ExcelJS> | undefined;
const loadExcelJS = () => (exceljs ??= import('exceljs').then((m) => m.default));

/** A new workbook with its metadata. */
export async function newWorkbook(title: string): Promise<ExcelJS.Workbook> {
  const wb = new (await loadExcelJS()).Workbook();
  wb.creator = 'Reform Loop 改革落实闭环';
  wb.title = title;
  wb.created = new Date();
  return wb;
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The default largest task list accepted: 5 MB (thousands of rows). */
export const DEFAULT_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** An upload as the API receives it: the name the client gave (if any) and the body as it streams in. */
export interface XlsxUpload {
  filename?: string;
  declaredLength?: number;
  body: AsyncIterable<Buffer | string> | Buffer;
}

/**
 * Reads an uploaded workbook: an .xlsx by name (when one is given) and by content (415 for
 * anything else, a legacy .xls included), at most `maxBytes` (413). Nothing is kept.
 */
export async function readXlsxUpload(upload: XlsxUpload, maxBytes: number): Promise<{ bytes: Buffer; workbook: ExcelJS.Workbook }> {
  const notXlsx = (what: string) => new UnsupportedTypeError(`${what}:请上传 Excel 工作簿(.xlsx),可先下载导入模板填写`);
  const name = upload.filename?.trim();
  if (name && !/\.xlsx$/i.test(name)) throw notXlsx(`文件「${name.slice(0, 60)}」不是 .xlsx 文件${/\.xls$/i.test(name) ? '(Excel 97-2003 的 .xls 请另存为 .xlsx)' : ''}`);
  const tooLarge = () => new TooLargeError(`文件过大:不得超过 ${sizeText(maxBytes)}`);
  if (upload.declaredLength !== undefined && upload.declaredLength > maxBytes) throw tooLarge();
  let bytes: Buffer;
  if (Buffer.isBuffer(upload.body)) {
    bytes = upload.body;
    if (bytes.length > maxBytes) throw tooLarge();
  } else {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const piece of upload.body) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
        size += chunk.length;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof TooLargeError) throw e;
      throw new UserError('文件未能完整接收,请重新上传');
    }
    bytes = Buffer.concat(chunks);
  }
  if (!bytes.length) throw new UserError('文件为空:请求体应为 .xlsx 文件本身的字节');
  if (!evidenceTypeOf('x.xlsx')!.sniff(bytes.subarray(0, 4096))) throw notXlsx('文件内容不是 Excel 工作簿');
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw notXlsx('文件无法作为 Excel 工作簿读取(可能已损坏,或不是 .xlsx)');
  }
  return { bytes, workbook };
}

/** A cell's content as text, whatever kind of value it holds (rich text, a formula's result, a link); dates as YYYY-MM-DD. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text).trim();
    if ('error' in value) return '';
    return '';
  }
  return String(value).trim();
}

/** Excel's day 0 (its serial dates count days from 1899-12-30, the 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date as a clerk writes it in a cell: an Excel date, an Excel serial number, or text as
 * 2026-03-01, 2026/3/1, 2026.3.1 or 2026年3月1日. Undefined when it is none of these or not a real date.
 */
export function cellDate(value: ExcelJS.CellValue): LocalDate | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value === 'object' && value !== null && 'result' in value) return cellDate((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 2958465) return undefined;
    return new Date(EXCEL_EPOCH_MS + value * 86_400_000).toISOString().slice(0, 10);
  }
  const text = cellText(value);
  const m = /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [m[1], m[2] ?? m[4], m[3] ?? m[5]];
  const date = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isLocalDate(date) ? date : undefined;
}
