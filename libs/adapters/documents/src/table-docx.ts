import { AlignmentType, Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { DOCX_FONTS } from './fonts';
import { mm, PAGE, twips } from './geometry';

/** One table of a tabular document: its heading (a plan, say), header row and rows of text. */
export interface DocumentTable {
  heading: string;
  /** A line under the heading (the lead unit, the limit …). */
  note?: string;
  headers: string[];
  /** Relative widths of the columns (any unit; they are scaled to the type area). */
  widths: number[];
  rows: string[][];
}

/** A landscape A4 document of tables (督察评估事项表 and the like): a title, a subtitle, tables. */
export interface TableDocument {
  title: string;
  subtitle?: string;
  creator: string;
  tables: DocumentTable[];
}

type Face = (typeof DOCX_FONTS)[keyof typeof DOCX_FONTS];
const fontOf = (face: Face) => ({ ascii: face.name, hAnsi: face.name, eastAsia: face.name, cs: face.name });
/** 四号 (14 pt) for text, 小四 (12 pt) in tables; Word sizes are half points. */
const TEXT = 28;
const CELL = 24;
/** Landscape A4, 25 mm margins all round. */
const MARGIN = twips(mm(25));
const WIDTH = twips(PAGE.height) - 2 * MARGIN;

const run = (text: string, size: number, bold = false, face: Face = DOCX_FONTS.body) => new TextRun({ text, font: fontOf(face), size, bold });

function cell(text: string, width: number, header: boolean): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: text.split('\n').map((line) => new Paragraph({ alignment: header || line.length <= 2 ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(line, CELL, header)] })),
  });
}

function table(t: DocumentTable): Table {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => Math.floor((w / total) * WIDTH));
  return new Table({
    width: { size: WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: t.headers.map((h, i) => cell(h, widths[i], true)) }),
      ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((text, i) => cell(text, widths[i], false)) })),
    ],
  });
}

/** The document as a Word file: landscape A4, 仿宋_GB2312 text, each table under its heading, header rows repeated across pages. */
export async function tableDocx(doc: TableDocument): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [run(doc.title, 44, false, DOCX_FONTS.title)] }),
    ...(doc.subtitle ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(doc.subtitle, TEXT)] })] : []),
  ];
  for (const t of doc.tables) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 80 }, children: [run(t.heading, TEXT, true, DOCX_FONTS.body)] }));
    if (t.note) children.push(new Paragraph({ spacing: { after: 80 }, children: [run(t.note, CELL)] }));
    children.push(table(t));
  }
  const document = new Document({
    title: doc.title,
    creator: doc.creator,
    styles: { default: { document: { run: { font: fontOf(DOCX_FONTS.body), size: TEXT } } } },
    sections: [
      {
        properties: {
          page: {
            // Portrait dimensions with the landscape orientation: docx swaps them into w:pgSz.
            size: { width: twips(PAGE.width), height: twips(PAGE.height), orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
