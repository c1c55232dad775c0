import { letterDocument } from '@reform/letters';
import JSZip from 'jszip';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { letterDocx } from './docx';
import { DEFAULT_FONT_DIR, fontFile } from './fonts';
import { mm } from './geometry';
import { letterPdf } from './pdf';

const doc = letterDocument(
  {
    number: '改办函〔2027〕12号',
    subject: '关于《关于深化营商环境改革的实施方案》方案备案的督办函',
    body: ['督办函', '改办函〔2027〕12号', '', '市发展改革委:', '  请于2027年3月12日前办结。', '', '  依据:《全面深化改革工作推进落实机制》第9条(Y9)。', '', '市委全面深化改革委员会办公室', '2027年3月1日'].join('\n'),
    addressees: [{ role: 'lead_unit', name: '市发展改革委' }],
    copyTo: [],
    issuedOn: '2027-03-01',
  },
  { name: '市委全面深化改革委员会办公室' },
);

describe('fontFile', () => {
  it('names the Debian package to install when a font is missing, in Chinese', () => {
    expect(() => fontFile('/nonexistent/fonts', 'FandolFang-Regular.otf')).toThrow(/找不到字体文件 FandolFang-Regular\.otf.*texlive-lang-chinese.*REFORM_FONT_DIR/);
  });
});

describe('letterPdf', () => {
  it('writes the same bytes for the same letter (deterministic)', async () => {
    const a = await letterPdf(doc, { fontDir: DEFAULT_FONT_DIR, issuedOn: '2027-03-01' });
    const b = await letterPdf(doc, { fontDir: DEFAULT_FONT_DIR, issuedOn: '2027-03-01' });
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
  });

  it('refuses without its fonts, naming the package', async () => {
    await expect(letterPdf(doc, { fontDir: '/nonexistent/fonts', issuedOn: '2027-03-01' })).rejects.toThrow('texlive-lang-chinese');
  });
});

/** A letter copied to two units, with `paragraphs` paragraphs of body text. */
const copied = (paragraphs: number) =>
  letterDocument(
    {
      number: '改办函〔2027〕13号',
      subject: '关于《关于深化营商环境改革的实施方案》方案备案的督办函',
      body: [
        '督办函',
        '改办函〔2027〕13号',
        '',
        '市发展改革委:',
        ...Array.from({ length: paragraphs }, (_, i) => `  第${i + 1}段:该方案的备案时限已过,请于2027年3月12日前办结并报送办理情况,逾期将按规定通报。`),
        '',
        '  依据:《全面深化改革工作推进落实机制》第9条(Y9)。',
        '',
        '抄送:经济体制改革专项小组、改革领导小组',
        '市委全面深化改革委员会办公室',
        '2027年3月1日',
      ].join('\n'),
      addressees: [{ role: 'lead_unit', name: '市发展改革委' }],
      copyTo: [
        { role: 'special_group', name: '经济体制改革专项小组' },
        { role: 'leading_group', name: '改革领导小组' },
      ],
      issuedOn: '2027-03-01',
    },
    { name: '市委全面深化改革委员会办公室' },
  );

/** Words of a PDF page with their boxes (pdftotext -bbox), in points from the top left. */
function words(pdf: Buffer, page: number): Array<{ text: string; xMin: number; yMin: number; yMax: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'letter-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ text: m[4], xMin: Number(m[1]), yMin: Number(m[2]), yMax: Number(m[3]) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pageCount = (pdf: Buffer) => Number(/\/Type \/Pages\b[^>]*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);

describe('抄送 at the end (GB/T 9704-2012 10.1, 7.4.2)', () => {
  // The type area's foot: 37 mm from the top, 225 mm tall; one line of the 22-line grid is 225/22 mm.
  const foot = mm(37 + 225);
  const line = mm(225 / 22);

  it.each([
    ['one page', 2],
    ['two pages', 14],
  ])('PDF (%s): on the last line of the type area of the last page, below the date, one character in', async (_name, paragraphs) => {
    const pdf = await letterPdf(copied(paragraphs), { fontDir: DEFAULT_FONT_DIR, issuedOn: '2027-03-01' });
    const last = pageCount(pdf);
    expect(last).toBe(paragraphs > 2 ? 2 : 1);
    const ws = words(pdf, last);
    const cc = ws.filter((w) => w.text.includes('抄'));
    expect(cc).toHaveLength(1);
    const date = ws.find((w) => w.text.includes('2027年3月1日'))!;
    expect(date).toBeDefined();
    // The last line of text on the page, in the grid's last row, under the date.
    expect(cc[0].yMax).toBeLessThanOrEqual(foot + 0.5);
    expect(cc[0].yMin).toBeGreaterThan(foot - line);
    expect(cc[0].yMin).toBeGreaterThan(date.yMax);
    // Every other word of the type area (the page number is below it) stands above it.
    const others = ws.filter((x) => x.yMin < cc[0].yMin - 1 || x.yMax > cc[0].yMax + 1);
    expect(others.length).toBeGreaterThan(0);
    for (const w of others.filter((x) => x.yMin < foot)) expect(w.yMax).toBeLessThan(cc[0].yMin);
    // One character (156/28 mm) in from the type area's left edge (28 mm).
    expect(Math.abs(cc[0].xMin - mm(28 + 156 / 28))).toBeLessThan(1);
  });

  it('Word: the last paragraph, after the date, framed to the foot of the type area, one character in, with no rule', async () => {
    const zip = await JSZip.loadAsync(await letterDocx(copied(2)));
    const xml = await zip.file('word/document.xml')!.async('string');
    const body = /<w:body>([\s\S]*)<\/w:body>/.exec(xml)![1];
    const paragraphs = [...body.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [^>]*>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const text = (p: string) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const last = paragraphs[paragraphs.length - 1];
    expect(text(last)).toBe('抄送：经济体制改革专项小组，改革领导小组。');
    expect(text(paragraphs[paragraphs.length - 2])).toBe('2027年3月1日');
    // Anchored to the type area (the margins), at its bottom.
    const frame = /<w:framePr\b[^>]*\/>/.exec(last)?.[0] ?? '';
    expect(frame).toMatch(/w:yAlign="bottom"/);
    expect(frame).toMatch(/w:vAnchor="margin"/);
    expect(frame).toMatch(/w:hAnchor="margin"/);
    // One character in on each side: left 1 + 3 (the hanging 抄送：) characters, right 1.
    const indent = /<w:ind\b[^>]*\/>/.exec(last)?.[0] ?? '';
    const twips = (name: string) => Number(new RegExp(`w:${name}="(\\d+)"`).exec(indent)?.[1]);
    const char = (mm(156) / 28) * 20;
    expect(Math.abs(twips('left') - 4 * char)).toBeLessThanOrEqual(1);
    expect(Math.abs(twips('hanging') - 3 * char)).toBeLessThanOrEqual(1);
    expect(Math.abs(twips('right') - char)).toBeLessThanOrEqual(1);
    // The letter format's 版记 has no 分隔线 (10.1): no border on it.
    expect(last).not.toContain('<w:pBdr>');
  });
});
