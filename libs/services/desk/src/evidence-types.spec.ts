import { evidenceTypeOf } from './evidence-types';

/** The signatures are the formats' own: PDF "%PDF-", PNG's 8 bytes, JPEG FF D8 FF, OOXML/OFD zips, OLE compound files. */
describe('evidence types: the name says the kind, the bytes must be of it', () => {
  const zip = (...names: string[]) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), ...names.map((n) => Buffer.from(n, 'latin1'))]);
  const sniff = (name: string, head: Buffer) => evidenceTypeOf(name)?.sniff(head) ?? null;

  it('knows the allowed extensions, in any case, and no others', () => {
    expect(['报告.PDF', 'a.docx', 'a.xlsx', 'a.doc', 'a.xls', 'a.ofd', 'a.jpg', 'a.JPEG', 'a.png'].map((n) => evidenceTypeOf(n)?.extension)).toEqual(['pdf', 'docx', 'xlsx', 'doc', 'xls', 'ofd', 'jpg', 'jpeg', 'png']);
    expect(['a.exe', 'a.pdf.exe', 'pdf', 'a.', 'a.html', 'a.zip'].map((n) => evidenceTypeOf(n))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('accepts content of the named kind and refuses other content', () => {
    expect(sniff('a.pdf', Buffer.from('%PDF-1.4\n'))).toBe(true);
    expect(sniff('a.pdf', Buffer.from('<html>'))).toBe(false);
    expect(sniff('a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(true);
    expect(sniff('a.png', Buffer.from('%PDF-1.4'))).toBe(false);
    expect(sniff('a.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(sniff('a.docx', zip('[Content_Types].xml'))).toBe(true);
    expect(sniff('a.xlsx', zip('xl/workbook.xml'))).toBe(true);
    expect(sniff('a.ofd', zip('OFD.xml'))).toBe(true);
    // A bare zip is none of them; an OFD package is not a Word document.
    expect(sniff('a.docx', zip('photo.jpg'))).toBe(false);
    expect(sniff('a.docx', zip('OFD.xml'))).toBe(false);
    expect(sniff('a.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(true);
    expect(sniff('a.doc', Buffer.from([0xd0, 0xcf, 0x11]))).toBe(false);
  });
});
