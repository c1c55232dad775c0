import { layoutLetter, LetterDocument, pageNumber, PlacedLine } from '@reform/letters';
import type PDFKitDocument from 'pdfkit';
import { fontFile, PDF_FONTS } from './fonts';
import { mm, PAGE, PITCH, RED, SIZE } from './geometry';

/** A round official seal is 42 mm across. */
const SEAL = mm(42);
/** The red double rules are 170 mm long, centred on the page (GB/T 9704 10.1). */
const RULE_X = [(PAGE.width - mm(170)) / 2, (PAGE.width + mm(170)) / 2] as const;
const THICK = 2;
const THIN = 0.75;
const GAP = 2.5;

const isHalfWidth = (ch: string) => ch.charCodeAt(0) < 0x80;

/** Top of a grid row's text of `size` points, centred in the row. */
const rowTop = (row: number, size: number) => PAGE.top + row * PITCH.line + (PITCH.line - size) / 2;

/** pdfkit, loaded with the first PDF: it takes long to load, and most processes and requests never print one. */
let pdfkit: Promise<typeof PDFKitDocument> | undefined;
const loadPdfKit = () => (pdfkit ??= import('pdfkit').then((m) => m.default));

function rule(pdf: PDFKit.PDFDocument, y: number, width: number) {
  pdf.moveTo(RULE_X[0], y).lineTo(RULE_X[1], y).lineWidth(width).strokeColor(RED).stroke();
}

/** Sets a line character by character on the grid: a Chinese character takes one cell, an ASCII one half. */
function gridLine(pdf: PDFKit.PDFDocument, line: PlacedLine) {
  let col = line.col;
  const top = rowTop(line.row, SIZE.body);
  for (const ch of line.text) {
    pdf.text(ch, PAGE.left + col * PITCH.char, top, { lineBreak: false });
    col += isHalfWidth(ch) ? 0.5 : 1;
  }
}

/**
 * The letter as a PDF on GB/T 9704's page, laid out by layoutLetter on the 22 × 28 grid: FandolFang
 * 三号 for the text, FandolSong for the red office name and the title, each embedded as a subset.
 * Deterministic: the same letter gives the same bytes (the creation date is its issue date).
 */
export async function letterPdf(doc: LetterDocument, opts: { fontDir: string; issuedOn: string; seal?: Buffer }): Promise<Buffer> {
  const fonts = Object.fromEntries(Object.entries(PDF_FONTS).map(([k, file]) => [k, fontFile(opts.fontDir, file)]));
  const layout = layoutLetter(doc, { seal: !!opts.seal });
  const pdf = new (await loadPdfKit())({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: doc.title, Author: doc.signature, Subject: doc.number, Creator: 'Reform Loop', Producer: 'Reform Loop', CreationDate: new Date(`${opts.issuedOn}T00:00:00+08:00`) },
  });
  for (const [name, path] of Object.entries(fonts)) pdf.registerFont(name, path);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  for (let page = 1; page <= layout.pages; page++) {
    pdf.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    if (page === 1) {
      // 发文机关标志: red, centred, its top 30 mm from the top edge; the first double rule (thick
      // over thin) 4 mm below it; the second (thin over thick) 20 mm above the bottom edge.
      pdf.font('mark').fontSize(SIZE.mark);
      const size = Math.min(SIZE.mark, (SIZE.mark * PAGE.typeWidth) / pdf.widthOfString(doc.officeMark));
      pdf.fontSize(size).fillColor(RED);
      pdf.text(doc.officeMark, (PAGE.width - pdf.widthOfString(doc.officeMark)) / 2, mm(30), { lineBreak: false });
      const ruleY = mm(30) + size + mm(4);
      rule(pdf, ruleY, THICK);
      rule(pdf, ruleY + GAP + (THICK + THIN) / 2, THIN);
      const bottom = PAGE.height - mm(20);
      rule(pdf, bottom - GAP - (THICK + THIN) / 2, THIN);
      rule(pdf, bottom, THICK);
    }
    pdf.fillColor('black');
    for (const line of layout.lines.filter((l) => l.page === page)) {
      if (line.style === 'title') {
        pdf.font('title').fontSize(SIZE.title);
        pdf.text(line.text, PAGE.left + (PAGE.typeWidth - pdf.widthOfString(line.text)) / 2, rowTop(line.row, SIZE.title), { lineBreak: false });
      } else {
        pdf.font(line.style === 'number' ? 'number' : 'body').fontSize(SIZE.body);
        gridLine(pdf, line);
      }
    }
    if (opts.seal && layout.seal?.page === page) {
      const cx = PAGE.left + layout.seal.col * PITCH.char;
      const cy = PAGE.top + (layout.seal.row + 0.5) * PITCH.line;
      pdf.image(opts.seal, cx - SEAL / 2, cy - SEAL / 2, { width: SEAL, height: SEAL });
    }
    const number = pageNumber(page);
    if (number) {
      // 四号 half-width figures between em dashes, 7 mm under the type area; odd pages right, even left, one character in.
      pdf.font('number').fontSize(SIZE.pageNumber);
      const w = pdf.widthOfString(number);
      const x = page % 2 ? PAGE.left + PAGE.typeWidth - SIZE.pageNumber - w : PAGE.left + SIZE.pageNumber;
      pdf.text(number, x, PAGE.height - PAGE.bottom + mm(7) - SIZE.pageNumber / 2, { lineBreak: false });
    }
  }
  pdf.end();
  return done;
}
