/**
 * The kinds of evidence file a unit may attach to a specific reform item, known by their name's
 * extension and checked against their first bytes (the content decides; the client's
 * Content-Type is not trusted). The type a download is served with comes from here too.
 */
export interface EvidenceType {
  extension: string;
  contentType: string;
  label: string;
  /** Whether the first bytes are those of this kind of file. */
  sniff: (head: Buffer) => boolean;
}

const starts = (head: Buffer, bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** An OOXML or OFD package: a zip whose first entries name the parts of that kind of document. */
const zipWith = (head: Buffer, names: string[]) => starts(head, ZIP) && names.some((n) => head.includes(n, 0, 'latin1'));

export const EVIDENCE_TYPES: EvidenceType[] = [
  { extension: 'pdf', contentType: 'application/pdf', label: 'PDF', sniff: (h) => starts(h, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  {
    extension: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word 文档',
    sniff: (h) => zipWith(h, ['[Content_Types].xml', 'word/', '_rels/']),
  },
  {
    extension: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel 表格',
    sniff: (h) => zipWith(h, ['[Content_Types].xml', 'xl/', '_rels/']),
  },
  { extension: 'doc', contentType: 'application/msword', label: 'Word 97-2003 文档', sniff: (h) => starts(h, OLE) },
  { extension: 'xls', contentType: 'application/vnd.ms-excel', label: 'Excel 97-2003 表格', sniff: (h) => starts(h, OLE) },
  { extension: 'ofd', contentType: 'application/ofd', label: 'OFD 版式文件', sniff: (h) => zipWith(h, ['OFD.xml', 'Doc_0/']) },
  { extension: 'jpg', contentType: 'image/jpeg', label: 'JPEG 图片', sniff: (h) => starts(h, [0xff, 0xd8, 0xff]) },
  { extension: 'jpeg', contentType: 'image/jpeg', label: 'JPEG 图片', sniff: (h) => starts(h, [0xff, 0xd8, 0xff]) },
  { extension: 'png', contentType: 'image/png', label: 'PNG 图片', sniff: (h) => starts(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
];

export const EVIDENCE_EXTENSIONS = EVIDENCE_TYPES.map((t) => t.extension);

/** The type a file name says, by its extension (case-insensitive); undefined for one not allowed. */
export function evidenceTypeOf(filename: string): EvidenceType | undefined {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(filename);
  return m ? EVIDENCE_TYPES.find((t) => t.extension === m[1].toLowerCase()) : undefined;
}

/** The default largest evidence file: 20 MB. */
export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

/** A size as users read it. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} 字节`;
}
