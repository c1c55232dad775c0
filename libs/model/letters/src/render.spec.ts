import { LETTER_KINDS, LetterKind } from '@reform/definitions';
import { LetterRequest, officialNumber, OfficeConfig } from './letter-request';
import { LETTER_KIND_LABEL, readLetterText, renderLetter } from './render';
import { citeRule } from './sources';

const OFFICE: OfficeConfig = { name: '市委全面深化改革委员会办公室', numberPrefix: '改办函' };

function request(kind: LetterKind, over: Partial<LetterRequest> = {}): LetterRequest {
  return {
    idempotencyKey: 'wf-1/filing#0/1',
    workflowId: 'wf-1',
    procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
    plan: { title: '关于深化营商环境改革的实施方案', leadUnit: '市发展改革委', responsiblePerson: '张三', specialGroup: '经济体制改革专项小组' },
    deadline: {
      key: 'filing#0',
      id: 'filing',
      label: '方案备案',
      source: 'A9',
      anchor: '2027-01-31',
      due: '2027-02-28',
      explanation: ['自2027年1月31日起算,1个月后为2027年2月28日', '2月没有31日,按当月最后一日2027年2月28日计'],
    },
    level: 1,
    kind,
    source: kind === 'reminder' || kind === 'supervision' ? 'Y9' : 'A13',
    to: [{ role: 'lead_unit', name: '市发展改革委' }],
    cc: [],
    issuedOn: '2027-03-01',
    ...over,
  };
}

const A9 = '《关于提高改革方案质量推进改革举措落地的意见》第9条(A9)';
const Y9 = '《全面深化改革工作推进落实机制》第9条(Y9)';
const A13 = '《关于提高改革方案质量推进改革举措落地的意见》第13条(A13)';

describe('officialNumber', () => {
  it('writes 文号 with 六角括号', () => {
    expect(officialNumber('改办函', 2026, 12)).toBe('改办函〔2026〕12号');
    expect(officialNumber('深改办督', 2027, 1)).toBe('深改办督〔2027〕1号');
  });
});

describe('citeRule', () => {
  it('cites numbered documents by item', () => {
    expect(citeRule('A9')).toBe(A9);
    expect(citeRule('A9')).toContain('第9条(A9)');
    expect(citeRule('Y9')).toBe(Y9);
    expect(citeRule('A13')).toBe(A13);
  });

  it('cites unnumbered documents by title and topic id only', () => {
    expect(citeRule('S1')).toBe('“清单制+责任制”改革落实机制(S1)');
    expect(citeRule('W6')).toBe('改革落实推进机制(W6)');
    expect(citeRule('H3')).toBe('改革落实闭环机制(H3)');
  });

  it('returns an unknown id as it is', () => {
    expect(citeRule('Z1')).toBe('Z1');
  });
});

describe('renderLetter', () => {
  it('labels every letter kind', () => {
    expect(LETTER_KINDS.map((k) => LETTER_KIND_LABEL[k])).toEqual(['提醒函', '督办函', '整改意见书', '点名通报', '约谈通知']);
  });

  it('renders a reminder letter, whole', () => {
    const letter = renderLetter(request('reminder', { level: 0, issuedOn: '2027-02-22' }), OFFICE, '改办函〔2027〕3号');
    expect(letter).toEqual({
      subject: '关于《关于深化营商环境改革的实施方案》方案备案的提醒函',
      body: [
        '提醒函',
        '改办函〔2027〕3号',
        '',
        '市发展改革委:',
        `  根据${A9},《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成(自2027年1月31日起算,1个月后为2027年2月28日)。`,
        '  目前距截止日期已不足规定时限,该事项尚未办结。请市发展改革委(责任人:张三)抓紧办理,确保按期完成。',
        '',
        `  依据:${Y9}。`,
        '',
        '市委全面深化改革委员会办公室',
        '2027年2月22日',
      ].join('\n'),
    });
  });

  it('writes the office’s own wording when the rules give a template, filling every placeholder', () => {
    const template = {
      subject: '{时限}督办:{方案}',
      paragraphs: ['{依据}要求,{方案}{时限}应于{截止日期}前完成;经{前函}提醒仍未办结。', '请{牵头单位}(责任人:{责任人},{专项小组})于{限期}前办结,按{函件依据}报{发函单位}。{未知}'],
    };
    const req = request('supervision', {
      limitUntil: '2027-03-12',
      previous: { kind: 'reminder', number: '改办函〔2027〕3号', issuedOn: '2027-02-22' },
      template,
    });
    const letter = renderLetter(req, OFFICE, '改办函〔2027〕12号');
    expect(letter.subject).toBe('方案备案督办:《关于深化营商环境改革的实施方案》');
    expect(letter.body.split('\n').slice(3, 6)).toEqual([
      '市发展改革委:',
      `  ${A9}要求,《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成;经提醒函(改办函〔2027〕3号)提醒仍未办结。`,
      `  请市发展改革委(责任人:张三,经济体制改革专项小组)于2027年3月12日前办结,按${Y9}报市委全面深化改革委员会办公室。{未知}`,
    ]);
    // Without a template the standard wording stands.
    expect(renderLetter({ ...req, template: undefined }, OFFICE, '改办函〔2027〕12号').subject).toBe('关于《关于深化营商环境改革的实施方案》方案备案的督办函');
  });

  it('fills {名称} with the plan’s name as it is, without 书名号 (a problem’s statement in problem.rules)', () => {
    const req = request('rectification', { template: { subject: '关于督察发现问题的整改意见书', paragraphs: ['{牵头单位}存在以下问题:{名称}。'] } });
    const letter = renderLetter(req, OFFICE, '改办函〔2027〕13号');
    expect(letter.body.split('\n')[4]).toBe('  市发展改革委存在以下问题:关于深化营商环境改革的实施方案。');
  });

  it('fills {问题清单} with one numbered paragraph per problem handed over, or the plan’s name alone', () => {
    const template = { subject: '关于督察发现问题的整改意见书', paragraphs: ['{牵头单位}存在以下问题:', '{问题清单}', '请于{截止日期}前整改到位。'] };
    const req = request('rectification', { template });
    const listed = renderLetter(req, OFFICE, 'N', { problems: ['台账不全(甲问题〔2027〕1号)', '两行\n的表述(甲问题〔2027〕2号)', '未按期报送(甲问题〔2027〕3号)'] });
    const lines = listed.body.split('\n');
    expect(lines.slice(4, 8)).toEqual(['  市发展改革委存在以下问题:', '  1.台账不全(甲问题〔2027〕1号)', '  2.两行 的表述(甲问题〔2027〕2号)', '  3.未按期报送(甲问题〔2027〕3号)']);
    // The stored text still reads back into its parts (the documents are laid out from them).
    expect(readLetterText(listed.body)?.paragraphs.slice(1, 4)).toEqual(['1.台账不全(甲问题〔2027〕1号)', '2.两行 的表述(甲问题〔2027〕2号)', '3.未按期报送(甲问题〔2027〕3号)']);
    expect(renderLetter(req, OFFICE, 'N').body.split('\n')[5]).toBe('  1.关于深化营商环境改革的实施方案');
  });

  it('renders a supervision letter with its time limit and copy line, whole', () => {
    const letter = renderLetter(
      request('supervision', { limitUntil: '2027-03-12', cc: [{ role: 'special_group', name: '经济体制改革专项小组' }] }),
      OFFICE,
      officialNumber(OFFICE.numberPrefix, 2027, 12),
    );
    expect(letter.subject).toBe('关于《关于深化营商环境改革的实施方案》方案备案的督办函');
    expect(letter.body).toBe(
      [
        '督办函',
        '改办函〔2027〕12号',
        '',
        '市发展改革委:',
        `  根据${A9},《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成。截至2027年2月28日期满,该事项仍未办结。`,
        '  请市发展改革委于2027年3月12日前办结,并将办理情况书面报送市委全面深化改革委员会办公室。逾期仍未办结的,将予以点名通报。',
        '',
        `  依据:${Y9}。`,
        '',
        '抄送:经济体制改革专项小组',
        '市委全面深化改革委员会办公室',
        '2027年3月1日',
      ].join('\n'),
    );
  });

  it('renders a public naming that cites the supervision letter before it', () => {
    const letter = renderLetter(
      request('public_naming', {
        level: 2,
        to: [{ role: 'all_units', name: '各有关单位' }],
        cc: [{ role: 'special_group', name: '经济体制改革专项小组' }],
        issuedOn: '2027-03-15',
        limitUntil: '2027-03-29',
        previous: { kind: 'supervision', number: '改办函〔2027〕12号', issuedOn: '2027-03-01', limitUntil: '2027-03-12' },
      }),
      OFFICE,
      '改办函〔2027〕20号',
    );
    expect(letter.subject).toBe('关于《关于深化营商环境改革的实施方案》方案备案的点名通报');
    expect(letter.body.split('\n')).toEqual([
      '点名通报',
      '改办函〔2027〕20号',
      '',
      '各有关单位:',
      `  根据${A9},《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成。经督办函(改办函〔2027〕12号)督办,市发展改革委仍未按要求办结,现予点名通报。`,
      '  请市发展改革委于2027年3月29日前整改到位,并报送整改情况;各有关单位引以为戒。',
      '',
      `  依据:${A13}。`,
      '',
      '抄送:经济体制改革专项小组',
      '市委全面深化改革委员会办公室',
      '2027年3月15日',
    ]);
  });

  it('renders a public naming without a previous letter or limit', () => {
    const body = renderLetter(request('public_naming'), OFFICE, 'N').body;
    expect(body).toContain('2027年2月28日前完成。市发展改革委仍未按要求办结,现予点名通报。');
    expect(body).not.toContain('经督办函');
    expect(body).not.toContain('整改到位');
  });

  it('renders an interview notice citing the ladder rule', () => {
    const letter = renderLetter(
      request('interview', { level: 3, cc: [{ role: 'leading_group', name: '改革领导小组' }], issuedOn: '2027-03-30' }),
      OFFICE,
      '改办函〔2027〕31号',
    );
    expect(letter.subject).toBe('关于《关于深化营商环境改革的实施方案》方案备案的约谈通知');
    expect(letter.body.split('\n')).toEqual([
      '约谈通知',
      '改办函〔2027〕31号',
      '',
      '市发展改革委:',
      `  根据${A9},《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成。市发展改革委仍未办结。`,
      `  根据${A13},拟约谈市发展改革委主要负责人,报改革领导小组决定。`,
      '',
      `  依据:${A13}。`,
      '',
      '抄送:改革领导小组',
      '市委全面深化改革委员会办公室',
      '2027年3月30日',
    ]);
  });

  it('renders a rectification opinion with and without a limit', () => {
    const withLimit = renderLetter(request('rectification', { limitUntil: '2027-04-30' }), OFFICE, '改办函〔2027〕40号');
    expect(withLimit.subject).toBe('关于《关于深化营商环境改革的实施方案》方案备案的整改意见书');
    expect(withLimit.body).toContain(`  根据${A9},《关于深化营商环境改革的实施方案》方案备案应于2027年2月28日前完成,督察发现存在问题,须挂账整改。\n  请于2027年4月30日前完成整改并报送整改情况。`);
    const without = renderLetter(request('rectification'), OFFICE, '改办函〔2027〕40号');
    expect(without.body).not.toContain('请于');
    expect(without.body.split('\n')[0]).toBe('整改意见书');
  });

  it('joins several addressees and copies with 、', () => {
    const body = renderLetter(
      request('supervision', {
        limitUntil: '2027-03-12',
        to: [
          { role: 'lead_unit', name: '市发展改革委' },
          { role: 'participating_unit', name: '市财政局' },
        ],
        cc: [
          { role: 'special_group', name: '经济体制改革专项小组' },
          { role: 'leading_group', name: '改革领导小组' },
        ],
      }),
      OFFICE,
      'N',
    ).body;
    expect(body).toContain('\n市发展改革委、市财政局:\n');
    expect(body).toContain('\n抄送:经济体制改革专项小组、改革领导小组\n');
  });

  it.each(LETTER_KINDS.map((k) => [k]))('a %s letter carries number, addressee, due date, rule, office and issue date', (kind) => {
    const req = request(kind, { limitUntil: '2027-03-12', cc: [{ role: 'special_group', name: '经济体制改革专项小组' }] });
    const { subject, body } = renderLetter(req, OFFICE, '改办函〔2027〕99号');
    expect(subject).toContain(LETTER_KIND_LABEL[kind]);
    for (const part of ['改办函〔2027〕99号', '市发展改革委:', '2027年2月28日', A9, `依据:${citeRule(req.source)}`, OFFICE.name, '2027年3月1日', '抄送:经济体制改革专项小组']) {
      expect(body).toContain(part);
    }
    expect(body).not.toMatch(/undefined|NaN|\[object/);
    expect(body.startsWith(`${LETTER_KIND_LABEL[kind]}\n改办函〔2027〕99号\n`)).toBe(true);
    expect(body.endsWith('\n市委全面深化改革委员会办公室\n2027年3月1日')).toBe(true);
  });

  it.each(['supervision', 'public_naming', 'rectification'] as const)('a %s letter states its limit date', (kind) => {
    expect(renderLetter(request(kind, { limitUntil: '2027-03-12' }), OFFICE, 'N').body).toContain('于2027年3月12日前');
  });

  it('is deterministic: the same request reads the same, and the request is not changed', () => {
    const req = request('supervision', { limitUntil: '2027-03-12' });
    const copy = structuredClone(req);
    const a = renderLetter(req, OFFICE, '改办函〔2027〕12号');
    const b = renderLetter(structuredClone(req), OFFICE, '改办函〔2027〕12号');
    expect(a).toEqual(b);
    expect(req).toEqual(copy);
  });
});
