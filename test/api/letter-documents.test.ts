import { addDays } from '@reform/calendar';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { DB_KINDS } from '../support/db';
import { Harness } from '../support/harness';
import { call, HarnessApi, leaks, startHarnessApi } from './support';
import { eventually } from './world';

/**
 * Letters as official documents (issue 9 §1, GB/T 9704-2012 letter format) over HTTP, with the
 * real time-skipping Temporal server and real databases: a plan registered already past its
 * six-month deadline (S1) draws a supervision letter (督办函, limit 10 working days, Y9, to the
 * lead unit, copy to its special group: rules/standard/common.rules); both documents are
 * downloaded and read back: the .docx unzipped and its XML checked, the PDF through poppler-utils,
 * its first page rendered into .data/artifacts/ and kept.
 *
 * Expected values from GB/T 9704-2012: A4 (210 × 297 mm = 11906 × 16838 twips, 595 × 842 pt);
 * margins 37 mm top (2098 twips), 28 mm left (1587); type area 156 × 225 mm; 22 lines of 28
 * characters; body in 仿宋 三号 (16 pt = w:sz 32); the office name and rules in red at the top.
 */
const ARTIFACTS = resolve(__dirname, '../../.data/artifacts');
const OFFICE = '示范省委全面深化改革委员会办公室';
const TWIPS_PER_MM = 1440 / 25.4;

/** A 64 × 64 PNG: a red ring on transparency, a stand-in for the office seal. */
function sealPng(): Buffer {
  const size = 64;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - 31.5, y - 31.5);
      const at = y * (size * 4 + 1) + 1 + x * 4;
      if (r > 26 && r < 31) raw.set([220, 0, 0, 255], at);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** 2027-03-01 → 2027年3月1日 (GB/T 9704 7.3.5: Arabic numerals, no leading zero). */
const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** A binary P6 PPM: width, height and RGB bytes. */
function readPpm(ppm: Buffer): { width: number; height: number; rgb: Buffer } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 50).toString('latin1'));
  if (!header) throw new Error('not a P6 PPM');
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

describe.each(DB_KINDS)('letters as official documents over HTTP (%s)', (kind) => {
  let h: Harness;
  let api: HarnessApi;
  let url: string;
  let work: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'reform-documents-'));
    const seal = join(work, 'seal.png');
    writeFileSync(seal, sealPng());
    api = await startHarnessApi(kind, {
      logins: ['sf-ndrc', 'sf-fin', 'jia-reform'],
      extraUnits: [['sf', 'sf-fin', '示范省财政厅', 'department']],
      documents: { office: { name: OFFICE, sealImage: seal } },
    });
    ({ h, url } = api);
    Object.assign(tokens, api.tokens);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const as = (user: string, path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${tokens[user]}` } });
  const json = async (user: string, path: string) => (await call({ url }, 'GET', path, { headers: { authorization: `Bearer ${tokens[user]}` } })).json as Record<string, unknown>;

  /** Registers a plan of `user`'s unit whose central plan was issued 215 days ago (past S1's six months) and waits for its supervision letter. */
  async function lateLetter(user: string, title: string): Promise<string> {
    const today = await h.today();
    const r = await call({ url }, 'POST', '/api/plans', {
      headers: { authorization: `Bearer ${tokens[user]}` },
      body: { procedure: 'central_integration', title, specialGroupId: 'sf-econ', responsibleLeader: '王副省长', responsiblePerson: '李明', startEvents: { central_plan_issued: addDays(today, -215) } },
    });
    expect(r.status).toBe(201);
    const planId = String(r.json.planId);
    return eventually(async () => {
      const rows = (await json(user, `/api/letters?plan=${planId}&kind=supervision`)).rows as Array<{ letterId: string }>;
      expect(rows.length).toBeGreaterThan(0);
      return rows[0].letterId;
    });
  }

  it('downloads a supervision letter as .docx and .pdf laid out as GB/T 9704 prescribes, and no one else’s', async () => {
    const letterId = await lateLetter('sf-ndrc', '关于对接中央财税体制改革方案的实施方案');
    const detail = await json('sf-ndrc', `/api/letters/${letterId}`);
    const number = String(detail.number);
    const addressee = (detail.addressees as Array<{ name: string }>)[0].name;
    expect(addressee).toBe('示范省发展和改革委员会');
    expect(detail.ruleId).toBe('Y9');
    expect(detail.limitDate).toEqual(expect.any(String));
    const limit = chineseDate(String(detail.limitDate));
    const issued = chineseDate(String(detail.issuedOn));
    // 发文字号: 六角括号, no leading zeros.
    expect(number).toMatch(/^改办函〔\d{4}〕[1-9]\d*号$/);

    // ---- Word
    const docxRes = await as('sf-ndrc', `/api/letters/${letterId}/document.docx`);
    expect(docxRes.status).toBe(200);
    expect(docxRes.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = docxRes.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    expect(encoded).not.toBeNull();
    expect(decodeURIComponent(encoded![1])).toBe(`${number} ${String(detail.subject)}.docx`);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"/);
    const docx = Buffer.from(await docxRes.arrayBuffer());
    writeFileSync(join(ARTIFACTS, `letter-${kind}.docx`), docx);
    const zip = await JSZip.loadAsync(docx);
    const xml = await zip.file('word/document.xml')!.async('string');
    const attr = (tag: string, name: string) => Number(new RegExp(`<w:${tag}\\b[^>]*\\bw:${name}="(-?\\d+)"`).exec(xml)?.[1]);
    expect([attr('pgSz', 'w'), attr('pgSz', 'h')]).toEqual([11906, 16838]);
    expect(Math.abs(attr('pgMar', 'top') - 37 * TWIPS_PER_MM)).toBeLessThanOrEqual(2);
    expect(Math.abs(attr('pgMar', 'left') - 28 * TWIPS_PER_MM)).toBeLessThanOrEqual(2);
    // The type area 156 × 225 mm: right and bottom margins follow.
    expect(Math.abs(11906 - attr('pgMar', 'left') - attr('pgMar', 'right') - 156 * TWIPS_PER_MM)).toBeLessThanOrEqual(2);
    expect(Math.abs(16838 - attr('pgMar', 'top') - attr('pgMar', 'bottom') - 225 * TWIPS_PER_MM)).toBeLessThanOrEqual(2);
    // The grid: 22 lines fit the 225 mm type area, 23 do not; 28 characters of 16 pt (plus charSpace/4096 pt) fit a 156 mm line, 29 do not.
    expect(xml).toMatch(/<w:docGrid\b[^>]*w:type="linesAndChars"/);
    const linePitch = attr('docGrid', 'linePitch');
    expect(Math.floor((225 * TWIPS_PER_MM) / linePitch)).toBe(22);
    const charPitchPt = 16 + attr('docGrid', 'charSpace') / 4096;
    expect(Math.floor((156 * 72) / 25.4 / charPitchPt)).toBe(28);
    // 仿宋_GB2312 named for the body, 三号 = 16 pt = 32 half points, and first in the font table.
    expect(xml).toMatch(/<w:rFonts\b[^>]*w:eastAsia="仿宋_GB2312"/);
    expect(xml).toContain('<w:sz w:val="32"/>');
    const fontTable = await zip.file('word/fontTable.xml')!.async('string');
    expect(/<w:font w:name="([^"]+)"/.exec(fontTable)?.[1]).toBe('仿宋_GB2312');
    // The office name in red, the number, 主送 with its full-width colon, the limit, the rule, the date.
    expect(xml).toMatch(new RegExp(`<w:color w:val="(C00000|FF0000)"/>(?:(?!</w:r>).)*<w:t[^>]*>${OFFICE}</w:t>`));
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');
    for (const part of [number, `${addressee}：`, limit, '（Y9）', issued, '抄送：']) expect(text).toContain(part);
    // The seal, over the date.
    expect(Object.keys(zip.files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);

    // ---- PDF
    const pdfRes = await as('sf-ndrc', `/api/letters/${letterId}/document.pdf`);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(pdfRes.headers.get('content-disposition') ?? '')![1])).toBe(`${number} ${String(detail.subject)}.pdf`);
    const pdfPath = join(ARTIFACTS, `letter-${kind}.pdf`);
    writeFileSync(pdfPath, Buffer.from(await pdfRes.arrayBuffer()));
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const flat = pdfText.replace(/\s+/g, '');
    for (const part of [OFFICE, number, `${addressee}：`, limit, '（Y9）', issued]) expect(flat).toContain(part);
    // 28 characters a line at most (an ASCII character counting half).
    for (const line of pdfText.split('\n')) {
      const width = [...line.trim()].reduce((n, ch) => n + (ch.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);
      expect(width).toBeLessThanOrEqual(28);
    }
    const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' });
    for (const face of ['FandolFang', 'FandolSong']) expect(fonts).toMatch(new RegExp(`^[A-Z]{6}\\+${face}\\S*\\s.*\\byes\\s+yes\\b`, 'm'));
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    expect([Math.round(Number(size![1])), Math.round(Number(size![2]))]).toEqual([595, 842]);
    expect(execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' })).toMatch(/\bimage\b/);

    // The first page as an image, kept; red in its top band (the office name and the rules, GB/T 9704 10.1), none in the middle.
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(ARTIFACTS, `letter-${kind}-page1`)]);
    // Without an output name pdftoppm writes a PPM to stdout.
    const { width, height, rgb } = readPpm(execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath]));
    const redIn = (from: number, to: number) => {
      let n = 0;
      for (let y = Math.floor(from * height); y < to * height; y++) {
        for (let x = 0; x < width; x++) {
          const at = (y * width + x) * 3;
          if (rgb[at] > 150 && rgb[at + 1] < 80 && rgb[at + 2] < 80) n++;
        }
      }
      return n;
    };
    // The office name's top lies 30 mm from the top edge, the rule 4 mm under it: within the top 60 mm.
    expect(redIn(0, 60 / 297)).toBeGreaterThan(200);
    expect(redIn(80 / 297, 140 / 297)).toBe(0);

    // ---- Scope: outside it, 404 as for the letter itself; without a token, 401.
    for (const path of [`/api/letters/${letterId}/document.docx`, `/api/letters/${letterId}/document.pdf`]) {
      const hidden = await as('jia-reform', path);
      expect(hidden.status).toBe(404);
      expect(leaks(await hidden.text())).toEqual([]);
      expect((await fetch(`${url}${path}`)).status).toBe(401);
    }
  });

  it('answers 404 for the letter of another unit’s plan, as for one that does not exist', async () => {
    const theirs = await lateLetter('sf-fin', '关于对接中央预算制度改革方案的实施方案');
    expect((await as('sf-fin', `/api/letters/${theirs}/document.pdf`)).status).toBe(200);
    for (const format of ['docx', 'pdf']) {
      const r = await as('sf-ndrc', `/api/letters/${theirs}/document.${format}`);
      expect(r.status).toBe(404);
      const body = (await r.json()) as { error: { message: string } };
      expect(body.error.message).toContain('没有找到函件');
      expect((await as('sf-ndrc', `/api/letters/no-such-letter/document.${format}`)).status).toBe(404);
    }
  });
});
