import { formatChineseDate } from '@reform/calendar';
import { LETTER_KIND_LABEL, type LetterPlaceholder } from '@reform/definitions';
import { LetterRequest, OfficeConfig } from './letter-request';
import { citeRule } from './sources';

export { LETTER_KIND_LABEL };

export interface RenderedLetter {
  subject: string;
  body: string;
}

/**
 * A letter's parts as issued: what its text (the stored body) is made of, and what the
 * official documents (document.ts) lay out. The wording is written once, by letterParts.
 */
export interface LetterParts {
  /** The kind of letter, as the text's first line: 督办函. */
  heading: string;
  number: string;
  /** 主送: the addressees' names joined with 、. */
  addressees: string;
  /** The body's paragraphs; the last cites the rule the letter enforces (依据:…). */
  paragraphs: string[];
  /** 抄送: the names joined with 、; null when none. */
  copyTo: string | null;
  /** The issuing office, as signed. */
  office: string;
  /** 成文日期, 2027年3月1日. */
  date: string;
}

const names = (parties: { name: string }[]) => parties.map((p) => p.name).join('、');

/**
 * What a letter says that its workflow does not know, read by the letter store in the letter's
 * own transaction (so the letter, written once, says it once).
 */
export interface LetterFacts {
  /**
   * The problems one 整改意见书 hands over (problem_handovers: ProblemDesk.handOver), each as its
   * line reads without its number (问题表述、挂号号、所涉对象). Absent: the plan's own name.
   */
  problems?: string[];
}

/** The parts of a letter. Pure: the same request and facts always read the same. */
export function letterParts(req: LetterRequest, office: OfficeConfig, number: string, extra: LetterFacts = {}): LetterParts {
  // A placeholder that stands for a list ({问题清单}) fills one paragraph per entry.
  const facts = req.template ? req.template.paragraphs.flatMap((p) => fill(p, req, office, extra).split('\n')) : standardFacts(req, office);
  return {
    heading: LETTER_KIND_LABEL[req.kind],
    number,
    addressees: names(req.to),
    paragraphs: [...facts, `依据:${citeRule(req.source)}。`],
    copyTo: req.cc.length ? names(req.cc) : null,
    office: office.name,
    date: formatChineseDate(req.issuedOn),
  };
}

/** The subject (事由) of a letter: the template's, or 关于《方案》时限的督办函. */
export function letterSubject(req: LetterRequest, office: OfficeConfig): string {
  return req.template?.subject ? fill(req.template.subject, req, office).replace(/\n/g, ' ') : `关于《${req.plan.title}》${req.deadline.label}的${LETTER_KIND_LABEL[req.kind]}`;
}

const INDENT = '  ';

/** The plain text of a letter (the stored body): one line per part, paragraphs indented, the rule set apart. */
export function letterText(p: LetterParts): string {
  const facts = p.paragraphs.slice(0, -1);
  const basis = p.paragraphs.at(-1);
  return [
    p.heading,
    p.number,
    '',
    `${p.addressees}:`,
    ...facts.map((f) => `${INDENT}${f}`),
    ...(basis === undefined ? [] : ['', `${INDENT}${basis}`]),
    '',
    ...(p.copyTo ? [`抄送:${p.copyTo}`] : []),
    p.office,
    p.date,
  ].join('\n');
}

/** The parts back from a letter's plain text (letterText's inverse); null when the text is not in that shape. */
export function readLetterText(body: string): LetterParts | null {
  const lines = body.split('\n');
  if (lines.length < 7 || lines[2] !== '' || !lines[3].endsWith(':')) return null;
  const date = lines[lines.length - 1];
  const office = lines[lines.length - 2];
  const cc = lines[lines.length - 3].startsWith('抄送:') ? lines[lines.length - 3].slice('抄送:'.length) : null;
  const middle = lines.slice(4, lines.length - (cc === null ? 2 : 3));
  if (middle.at(-1) !== '' || middle.some((l) => l !== '' && !l.startsWith(INDENT))) return null;
  return {
    heading: lines[0],
    number: lines[1],
    addressees: lines[3].slice(0, -1),
    paragraphs: middle.filter((l) => l !== '').map((l) => l.slice(INDENT.length)),
    copyTo: cc,
    office,
    date,
  };
}

/** The Chinese text of a letter. Pure: the same request always reads the same. */
export function renderLetter(req: LetterRequest, office: OfficeConfig, number: string, extra: LetterFacts = {}): RenderedLetter {
  return { subject: letterSubject(req, office), body: letterText(letterParts(req, office, number, extra)) };
}

/** The standard wording, by kind of letter (Y9, A13). */
function standardFacts(req: LetterRequest, office: OfficeConfig): string[] {
  const task = `《${req.plan.title}》${req.deadline.label}`;
  const due = formatChineseDate(req.deadline.due);
  const limit = req.limitUntil ? formatChineseDate(req.limitUntil) : undefined;
  const basis = `根据${citeRule(req.deadline.source)}`;
  const facts: string[] = [];
  switch (req.kind) {
    case 'reminder':
      facts.push(`${basis},${task}应于${due}前完成${req.deadline.explanation[0] ? `(${req.deadline.explanation[0]})` : ''}。`);
      facts.push(`目前距截止日期已不足规定时限,该事项尚未办结。请${req.plan.leadUnit}(责任人:${req.plan.responsiblePerson})抓紧办理,确保按期完成。`);
      break;
    case 'supervision':
      facts.push(`${basis},${task}应于${due}前完成。截至${due}期满,该事项仍未办结。`);
      facts.push(`请${req.plan.leadUnit}${limit ? `于${limit}前` : '立即'}办结,并将办理情况书面报送${office.name}。逾期仍未办结的,将予以点名通报。`);
      break;
    case 'public_naming': {
      const prev = req.previous ? `经${LETTER_KIND_LABEL[req.previous.kind]}(${req.previous.number})督办,` : '';
      facts.push(`${basis},${task}应于${due}前完成。${prev}${req.plan.leadUnit}仍未按要求办结,现予点名通报。`);
      if (limit) facts.push(`请${req.plan.leadUnit}于${limit}前整改到位,并报送整改情况;各有关单位引以为戒。`);
      break;
    }
    case 'interview':
      facts.push(`${basis},${task}应于${due}前完成。${req.previous ? `经${LETTER_KIND_LABEL[req.previous.kind]}(${req.previous.number})督促,` : ''}${req.plan.leadUnit}仍未办结。`);
      facts.push(`根据${citeRule(req.source)},拟约谈${req.plan.leadUnit}主要负责人,报改革领导小组决定。`);
      break;
    case 'rectification':
      facts.push(`${basis},${task}应于${due}前完成,督察发现存在问题,须挂账整改。`);
      if (limit) facts.push(`请于${limit}前完成整改并报送整改情况。`);
      break;
  }
  return facts;
}

/** The values of a template's {placeholders} for one letter (LETTER_PLACEHOLDERS lists them). */
function placeholders(req: LetterRequest, office: OfficeConfig, extra: LetterFacts): Record<LetterPlaceholder, string> {
  // One entry per line: a line break inside an entry (a description may hold one) reads as a space.
  const problems = (extra.problems?.length ? extra.problems : [req.plan.title]).map((p, i) => `${i + 1}.${p.replace(/\s*\n\s*/g, ' ')}`);
  return {
    方案: `《${req.plan.title}》`,
    时限: req.deadline.label,
    截止日期: formatChineseDate(req.deadline.due),
    限期: req.limitUntil ? formatChineseDate(req.limitUntil) : '',
    牵头单位: req.plan.leadUnit,
    责任人: req.plan.responsiblePerson,
    专项小组: req.plan.specialGroup,
    依据: citeRule(req.deadline.source),
    函件依据: citeRule(req.source),
    前函: req.previous ? `${LETTER_KIND_LABEL[req.previous.kind]}(${req.previous.number})` : '',
    发函单位: office.name,
    // The plan's name as it is, without 书名号: a problem's statement (problem.rules) is not a title.
    名称: req.plan.title,
    // The numbered list of the problems a 整改意见书 hands over, one paragraph each (A13: 问题清单).
    问题清单: problems.join('\n'),
  };
}

function fill(template: string, req: LetterRequest, office: OfficeConfig, extra: LetterFacts = {}): string {
  const values = placeholders(req, office, extra);
  return template.replace(/\{([^{}]+)\}/g, (whole, name: string) => (name in values ? values[name as LetterPlaceholder] : whole));
}
