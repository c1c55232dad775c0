import { breakLines, fullWidthPunctuation, GRID, layoutLetter, letterDocument, NO_LINE_END, NO_LINE_START, pageNumber, StoredLetter } from './document';
import { readLetterText, renderLetter } from './render';
import type { LetterRequest } from './letter-request';

// GB/T 9704-2012 5.2.2: 22 lines of 28 characters per page.
const HAN = '改革落实闭环督办提醒整改意见通报约谈方案备案试点评估';

const han = (n: number) => Array.from({ length: n }, (_, i) => HAN[i % HAN.length]).join('');

describe('breakLines', () => {
  it('fills lines of 28 Chinese characters, the first two shorter for the paragraph indent', () => {
    const lines = breakLines(han(60), 28, 2);
    expect(lines.map((l) => [...l].length)).toEqual([26, 28, 6]);
    expect(lines.join('')).toBe(han(60));
  });

  it('counts ASCII digits and letters as half a character and keeps a number whole', () => {
    // 26 Chinese characters and "2027" (two characters wide) fill the line exactly.
    expect(breakLines(`${han(26)}2027年`, 28)).toEqual([`${han(26)}2027`, '年']);
    // 27 Chinese characters leave one character for "2027": it goes down whole.
    expect(breakLines(`${han(27)}2027年`, 28)).toEqual([han(27), '2027年']);
  });

  it('keeps a date whole: 2026年10月30日 goes down to the next line rather than split', () => {
    // 24 characters, then the date (2 + 1 + 1 + 1 + 1 + 1 = 7 characters wide) would end at 31.
    expect(breakLines(`${han(24)}2026年10月30日前`, 28)).toEqual([han(24), '2026年10月30日前']);
  });

  it('never starts a line with a closing sign: the last character comes down with it', () => {
    for (const sign of ['，', '。', '、', '：', '；', '！', '？', '）', '》', '」']) {
      const lines = breakLines(`${han(28)}${sign}${han(3)}`, 28);
      expect(lines).toEqual([han(27), `${han(28).slice(-1)}${sign}${han(3)}`]);
    }
  });

  it('brings down a run of closing signs with the character before them', () => {
    const lines = breakLines(`${han(28)}》。${han(2)}`, 28);
    expect(lines).toEqual([han(27), `${han(28).slice(-1)}》。${han(2)}`]);
  });

  it('never ends a line with an opening sign', () => {
    const lines = breakLines(`${han(27)}《${han(5)}》`, 28);
    expect(lines[0]).toBe(han(27));
    expect(lines[1].startsWith('《')).toBe(true);
  });

  it('obeys the rules on any text: no line too long, none starting or ending wrongly, nothing lost', () => {
    const text = `根据《关于提高改革方案质量推进改革举措落地的意见》第9条（A9），《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成（自2027年1月31日起算，1个月后为2027年2月28日）。请市发展改革委（责任人：张三）抓紧办理，确保按期完成。`;
    const lines = breakLines(text, 28, 2);
    expect(lines.join('')).toBe(text);
    lines.forEach((l, i) => {
      const width = [...l].reduce((n, ch) => n + (ch.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);
      expect(width).toBeLessThanOrEqual(i === 0 ? 26 : 28);
      if (i > 0) expect(NO_LINE_START).not.toContain(l[0]);
      if (i < lines.length - 1) expect(NO_LINE_END).not.toContain(l.slice(-1));
    });
  });
});

describe('fullWidthPunctuation', () => {
  it('writes Chinese punctuation, leaving digits alone', () => {
    expect(fullWidthPunctuation('依据:规定(A9),请办理;可否?')).toBe('依据：规定（A9），请办理；可否？');
    expect(fullWidthPunctuation('共1,000元,10:30开会')).toBe('共1,000元，10:30开会');
  });
});

const request: LetterRequest = {
  idempotencyKey: 'k',
  workflowId: 'wf-1',
  procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
  plan: { title: '关于深化营商环境改革的实施方案', leadUnit: '市发展改革委', responsiblePerson: '张三', specialGroup: '经济体制改革专项小组' },
  deadline: { key: 'filing#0', id: 'filing', label: '方案备案', source: 'A9', anchor: '2027-01-31', due: '2027-02-28', explanation: [] },
  level: 1,
  kind: 'supervision',
  source: 'Y9',
  to: [
    { role: 'lead_unit', name: '市发展改革委' },
    { role: 'participating_unit', name: '市财政局' },
  ],
  cc: [
    { role: 'special_group', name: '经济体制改革专项小组' },
    { role: 'leading_group', name: '改革领导小组' },
  ],
  issuedOn: '2027-03-01',
  limitUntil: '2027-03-12',
};

function stored(req: LetterRequest = request): StoredLetter {
  const { subject, body } = renderLetter(req, { name: '市委全面深化改革委员会办公室', numberPrefix: '改办函' }, '改办函〔2027〕12号');
  return { number: '改办函〔2027〕12号', subject, body, addressees: req.to, copyTo: req.cc, issuedOn: req.issuedOn };
}

describe('readLetterText', () => {
  it('reads back the parts a letter was written from', () => {
    const parts = readLetterText(stored().body);
    expect(parts).toEqual({
      heading: '督办函',
      number: '改办函〔2027〕12号',
      addressees: '市发展改革委、市财政局',
      paragraphs: [expect.stringContaining('应于2027年2月28日前完成'), expect.stringContaining('于2027年3月12日前办结'), '依据:《全面深化改革工作推进落实机制》第9条(Y9)。'],
      copyTo: '经济体制改革专项小组、改革领导小组',
      office: '市委全面深化改革委员会办公室',
      date: '2027年3月1日',
    });
  });

  it('answers null for a text in another shape', () => {
    expect(readLetterText('随便写的一段话')).toBeNull();
  });
});

describe('letterDocument', () => {
  it('gives the parts of GB/T 9704’s letter format', () => {
    const doc = letterDocument(stored(), { name: '××省全面深化改革委员会办公室' });
    expect(doc.officeMark).toBe('××省全面深化改革委员会办公室');
    expect(doc.number).toBe('改办函〔2027〕12号');
    expect(doc.title).toBe('关于《关于深化营商环境改革的实施方案》方案备案的督办函');
    // 主送 ends with a full-width colon (7.3.2).
    expect(doc.addressees).toBe('市发展改革委、市财政局：');
    expect(doc.paragraphs).toHaveLength(3);
    expect(doc.paragraphs[2]).toBe('依据：《全面深化改革工作推进落实机制》第9条（Y9）。');
    expect(doc.paragraphs.join('')).not.toMatch(/[,:;()]/);
    // The signature as issued; the date in Arabic numerals, month and day without a leading zero (7.3.5).
    expect(doc.signature).toBe('市委全面深化改革委员会办公室');
    expect(doc.date).toBe('2027年3月1日');
    // 抄送: names separated by commas, a full stop after the last (7.4.2).
    expect(doc.copyTo).toBe('抄送：经济体制改革专项小组，改革领导小组。');
    expect(doc.filename).toBe('改办函〔2027〕12号 关于《关于深化营商环境改革的实施方案》方案备案的督办函');
  });

  it('names no copy line when the letter is copied to none, and makes a file name safe', () => {
    const doc = letterDocument({ ...stored({ ...request, cc: [] }), subject: '关于A/B的督办函' }, { name: '改革办' });
    expect(doc.copyTo).toBeNull();
    expect(doc.filename).toBe('改办函〔2027〕12号 关于A_B的督办函');
  });
});

describe('layoutLetter', () => {
  const doc = letterDocument(stored(), { name: '市委全面深化改革委员会办公室' });

  it('puts the number flush right under the rules, the title below, then 主送 flush left', () => {
    const { lines } = layoutLetter(doc);
    const number = lines.find((l) => l.style === 'number')!;
    // 改办函〔〕号: 6 characters, 2027 and 12 half width: 9 characters, flush right on a 28-character line.
    expect(number).toEqual({ page: 1, row: 1, col: 28 - 9, text: '改办函〔2027〕12号', style: 'number' });
    const title = lines.filter((l) => l.style === 'title');
    expect(title[0].row).toBe(3);
    const to = lines.find((l) => l.style === 'addressees')!;
    expect(to).toMatchObject({ col: 0, row: title[title.length - 1].row + 2, text: '市发展改革委、市财政局：' });
  });

  it('keeps within 22 rows of 28 characters and indents each paragraph by two', () => {
    const long = { ...doc, paragraphs: Array.from({ length: 12 }, () => han(70)) };
    const layout = layoutLetter(long);
    expect(layout.pages).toBeGreaterThan(1);
    for (const l of layout.lines) {
      expect(l.row).toBeGreaterThanOrEqual(0);
      expect(l.row).toBeLessThan(GRID.linesPerPage);
      if (l.style === 'body') expect(l.col + [...l.text].length).toBeLessThanOrEqual(28);
    }
    const body = layout.lines.filter((l) => l.style === 'body');
    // 70 characters: 26 after the indent, then 28, then 16.
    expect(body.slice(0, 3).map((l) => [l.col, [...l.text].length])).toEqual([
      [2, 26],
      [0, 28],
      [0, 16],
    ]);
    // No two lines share a place.
    const places = layout.lines.map((l) => `${l.page}/${l.row}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('signs two characters from the right, the date two characters right of the signature (no seal)', () => {
    const { lines } = layoutLetter(doc);
    const sig = lines.find((l) => l.style === 'signature')!;
    const date = lines.find((l) => l.style === 'date')!;
    // 市委全面深化改革委员会办公室: 14 characters, right edge two characters in.
    expect(sig.col).toBe(28 - 2 - 14);
    expect(date.col).toBe(sig.col + 2);
    expect(date.row).toBe(sig.row + 1);
    const lastBody = lines.filter((l) => l.style === 'body').pop()!;
    expect(sig.row).toBe(lastBody.row + 2);
  });

  it('with a seal, sets the date four characters from the right and centres the signature and seal over it', () => {
    const { lines, seal } = layoutLetter(doc, { seal: true });
    const sig = lines.find((l) => l.style === 'signature')!;
    const date = lines.find((l) => l.style === 'date')!;
    // 2027年3月1日: 4 + 1 + 0.5 + 1 + 0.5 + 1 = 6 characters wide.
    expect(date.col).toBe(28 - 4 - 6);
    expect(sig.col + 14 / 2).toBe(date.col + 6 / 2);
    expect(seal).toEqual({ page: date.page, col: date.col + 3, row: sig.row + 0.5 });
  });

  it('puts 抄送 on the last rows of the last page, one character in', () => {
    const { lines, pages } = layoutLetter(doc);
    const cc = lines.filter((l) => l.style === 'copyTo');
    expect(cc.length).toBeGreaterThan(0);
    expect(cc[cc.length - 1]).toMatchObject({ page: pages, row: 21, col: 1 });
    expect(cc.map((l) => l.text).join('')).toBe('抄送：经济体制改革专项小组，改革领导小组。');
  });
});

describe('pageNumber', () => {
  it('prints none on the first page and — n — after', () => {
    expect(pageNumber(1)).toBeNull();
    expect(pageNumber(2)).toBe('— 2 —');
  });
});
