import { letterDocument } from '@reform/letters';
import { DEFAULT_FONT_DIR, fontFile } from './fonts';
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
