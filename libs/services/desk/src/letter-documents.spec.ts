import { NotFoundError, UnavailableError } from '@reform/config';
import type { LetterDetail } from '@reform/ledger';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LetterDocuments } from './letter-documents';
import type { Caller } from './plan-desk';

const LETTER = {
  letterId: 'l-1',
  number: '改办函〔2027〕12号',
  subject: '关于《关于深化营商环境改革的实施方案》方案备案的督办函',
  body: ['督办函', '改办函〔2027〕12号', '', '市发展改革委:', '  请于2027年3月12日前办结。', '', '  依据:《全面深化改革工作推进落实机制》第9条(Y9)。', '', '市委全面深化改革委员会办公室', '2027年3月1日'].join('\n'),
  addressees: [{ role: 'lead_unit', name: '市发展改革委' }],
  copyTo: [],
  issuedOn: '2027-03-01',
} as unknown as LetterDetail;

const caller = { principal: { userId: 'u' } } as unknown as Caller;
const desk = { letter: async (_c: Caller, id: string) => (id === 'l-1' ? LETTER : Promise.reject(new NotFoundError(`没有找到函件「${id}」`))) };

describe('LetterDocuments', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reform-seal-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file "<文号> <标题>.<format>" with its media type', async () => {
    const file = await new LetterDocuments({ desk, office: { name: '市委全面深化改革委员会办公室' } }).file(caller, 'l-1', 'docx');
    expect(file.filename).toBe('改办函〔2027〕12号 关于《关于深化营商环境改革的实施方案》方案备案的督办函.docx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // A .docx is a zip: PK\x03\x04.
    expect(file.data.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('answers not found as reading the letter does', async () => {
    await expect(new LetterDocuments({ desk, office: { name: '改革办' } }).file(caller, 'l-2', 'pdf')).rejects.toThrow(NotFoundError);
  });

  it('refuses a seal that is missing or not a PNG, and fonts that are missing, as unavailable (503) with the setting to fix', async () => {
    const jpeg = join(dir, 'seal.jpg');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]));
    await expect(new LetterDocuments({ desk, office: { name: '改革办', sealImage: jpeg } }).file(caller, 'l-1', 'docx')).rejects.toThrow(new UnavailableError(`印章图片 ${jpeg} 不是 PNG 文件:请检查环境变量 REFORM_SEAL_IMAGE`));
    await expect(new LetterDocuments({ desk, office: { name: '改革办', sealImage: join(dir, 'none.png') } }).file(caller, 'l-1', 'docx')).rejects.toThrow(UnavailableError);
    await expect(new LetterDocuments({ desk, office: { name: '改革办' }, fontDir: join(dir, 'fonts') }).file(caller, 'l-1', 'pdf')).rejects.toThrow(/texlive-lang-chinese/);
  });
});
