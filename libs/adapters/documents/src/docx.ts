import { GRID, layoutLetter, LetterDocument, textWidth } from '@reform/letters';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  FrameAnchorType,
  FrameWrap,
  HorizontalPositionAlign,
  HorizontalPositionRelativeFrom,
  ImageRun,
  IRunOptions,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  TextWrappingType,
  VerticalPositionAlign,
  VerticalPositionRelativeFrom,
} from 'docx';
import { DOCX_FONTS } from './fonts';
import { mm, PAGE, PITCH, RED, SIZE, twips } from './geometry';

type Face = (typeof DOCX_FONTS)[keyof typeof DOCX_FONTS];
const fontOf = (face: Face) => ({ ascii: face.name, hAnsi: face.name, eastAsia: face.name, cs: face.name });
/** Word sizes are half points. */
const half = (pt: number) => pt * 2;
/** Characters on the body grid, in twips. */
const chars = (n: number) => Math.round(n * PITCH.char * 20);
/** 170 mm rules over a 156 mm type area: 7 mm beyond it on each side. */
const RULE_OVERHANG = -twips(mm(7));
const RED_HEX = RED.slice(1);
/** English Metric Units per point (drawing positions). */
const EMU_PER_PT = 12700;
/** A round official seal is 42 mm across. */
const SEAL_MM = 42;

const body = (text: string, extra: IRunOptions = {}) => new TextRun({ text, font: fontOf(DOCX_FONTS.body), size: half(SIZE.body), ...extra });
const empty = () => new Paragraph({ children: [body('')] });

/**
 * The fonts Word reads first: each face the document names, with the face Word or WPS takes
 * when it is missing (w:altName); charset 86 is GB2312. The free Fandol faces are listed too.
 */
function fontTable(): string {
  const faces: Face[] = [DOCX_FONTS.body, DOCX_FONTS.title];
  const font = (name: string, alt?: string) =>
    `<w:font w:name="${name}">${alt ? `<w:altName w:val="${alt}"/>` : ''}<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>`;
  const entries = faces.flatMap((f) => [font(f.name, f.alt), ...f.fallbacks.map((name, i) => font(name, f.fallbacks[i + 1]))]);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${entries.join('')}</w:fonts>`;
}

/** The page number footer of odd (right, one character in) or even (left) pages: — 2 —. */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const indent = twips(SIZE.pageNumber);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: indent } : { left: indent },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: fontOf(DOCX_FONTS.number), size: half(SIZE.pageNumber) })],
      }),
    ],
  });
}

/** The first page's footer: no page number (letter format), the second red double rule, thin over thick. */
function firstFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        indent: { left: RULE_OVERHANG, right: RULE_OVERHANG },
        border: { top: { style: BorderStyle.THIN_THICK_SMALL_GAP, size: 24, color: RED_HEX, space: 1 } },
        children: [new TextRun({ text: '', size: 2 })],
      }),
    ],
  });
}

/** The letter as a Word document on GB/T 9704's page: A4, its margins and 22 × 28 grid, 仿宋_GB2312 三号. */
export async function letterDocx(doc: LetterDocument, seal?: Buffer): Promise<Buffer> {
  const layout = layoutLetter(doc, { seal: !!seal });
  const sig = layout.lines.find((l) => l.style === 'signature');
  const date = layout.lines.find((l) => l.style === 'date');
  const rightIndent = (col: number, text: string) => chars(Math.max(0, GRID.charsPerLine - col - textWidth(text)));

  const sealRun = seal
    ? [
        new ImageRun({
          type: 'png',
          data: seal,
          transformation: { width: (mm(SEAL_MM) * 96) / 72, height: (mm(SEAL_MM) * 96) / 72 },
          floating: {
            horizontalPosition: { relative: HorizontalPositionRelativeFrom.MARGIN, offset: Math.round(((layout.seal?.col ?? 0) * PITCH.char - mm(SEAL_MM) / 2) * EMU_PER_PT) },
            verticalPosition: { relative: VerticalPositionRelativeFrom.PARAGRAPH, offset: Math.round((PITCH.line - mm(SEAL_MM) / 2) * EMU_PER_PT) },
            allowOverlap: true,
            wrap: { type: TextWrappingType.NONE },
          },
        }),
      ]
    : [];

  const children: Paragraph[] = [
    // 发文机关标志: red, centred, the first red double rule (thick over thin) under it, 170 mm long.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      indent: { left: RULE_OVERHANG, right: RULE_OVERHANG },
      border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: RED_HEX, space: 4 } },
      children: [new TextRun({ text: doc.officeMark, font: fontOf(DOCX_FONTS.title), size: half(SIZE.mark), color: RED_HEX })],
    }),
    // 发文字号 flush right under the rule.
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: Math.round(SIZE.body * 20 * (7 / 8)) }, children: [body(doc.number, { font: fontOf(DOCX_FONTS.number) })] }),
    empty(),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: doc.title, font: fontOf(DOCX_FONTS.title), size: half(SIZE.title) })] }),
    empty(),
    new Paragraph({ children: [body(doc.addressees)] }),
    ...doc.paragraphs.map((p) => new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLineChars: 200, firstLine: chars(2) }, children: [body(p)] })),
    ...Array.from({ length: seal ? 3 : 1 }, empty),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: rightIndent(sig?.col ?? 0, doc.signature) }, children: [body(doc.signature), ...sealRun] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: rightIndent(date?.col ?? 0, doc.date) }, children: [body(doc.date)] }),
    // 版记: 抄送 the document's last element, at the foot of the type area of its last page (GB/T
    // 9704 10.1: 位于公文最后一面版心内最下方; in the letter format without 印发机关, 印发日期 or the
    // 版记's 分隔线), one character in from each side, continuation lines after the colon (7.4.2).
    // A frame anchored to the bottom of the type area puts it there whatever the lines above take.
    ...(doc.copyTo
      ? [
          new Paragraph({
            frame: {
              type: 'alignment',
              alignment: { x: HorizontalPositionAlign.LEFT, y: VerticalPositionAlign.BOTTOM },
              anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
              width: twips(PAGE.typeWidth),
              wrap: FrameWrap.AROUND,
            },
            indent: { left: chars(1 + textWidth('抄送：')), hanging: chars(textWidth('抄送：')), right: chars(1) },
            children: [body(doc.copyTo)],
          }),
        ]
      : []),
  ];

  const document = new Document({
    title: doc.title,
    creator: doc.signature,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: fontOf(DOCX_FONTS.body), size: half(SIZE.body) } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: twips(PAGE.width), height: twips(PAGE.height) },
            margin: {
              top: twips(PAGE.top),
              left: twips(PAGE.left),
              right: twips(PAGE.right),
              bottom: twips(PAGE.bottom),
              header: twips(mm(15)),
              // The second rule of the first page lies 20 mm above the bottom edge.
              footer: twips(mm(20)),
            },
          },
          // 22 lines in the 225 mm type area, 28 characters of 三号 on its 156 mm lines: Word adds
          // charSpace/4096 pt to the 16 pt character (negative: 15.79 pt).
          grid: {
            type: DocumentGridType.LINES_AND_CHARS,
            linePitch: Math.floor((PAGE.typeHeight * 20) / GRID.linesPerPage),
            charSpace: Math.round((PITCH.char - SIZE.body) * 4096),
          },
        },
        footers: { first: firstFooter(), default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children,
      },
    ],
  });
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTable() }]);
}
