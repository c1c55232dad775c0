import { formatChineseDate } from '@reform/calendar';
import { LETTER_KIND_LABEL, type LetterPlaceholder } from '@reform/definitions';
import { LetterRequest, OfficeConfig } from './letter-request';
import { citeRule } from './sources';

export { LETTER_KIND_LABEL };

export interface RenderedLetter {
  subject: string;
  body: string;
}

const names = (parties: { name: string }[]) => parties.map((p) => p.name).join('、');

/** The Chinese text of a letter. Pure: the same request always reads the same. */
export function renderLetter(req: LetterRequest, office: OfficeConfig, number: string): RenderedLetter {
  const kind = LETTER_KIND_LABEL[req.kind];
  const task = `《${req.plan.title}》${req.deadline.label}`;
  const subject = req.template?.subject ? fill(req.template.subject, req, office) : `关于${task}的${kind}`;
  const facts = req.template ? req.template.paragraphs.map((p) => fill(p, req, office)) : standardFacts(req, office);
  const lines = [
    `${kind}`,
    `${number}`,
    '',
    `${names(req.to)}:`,
    ...facts.map((f) => `  ${f}`),
    '',
    `  依据:${citeRule(req.source)}。`,
    '',
    ...(req.cc.length ? [`抄送:${names(req.cc)}`] : []),
    `${office.name}`,
    `${formatChineseDate(req.issuedOn)}`,
  ];
  return { subject, body: lines.join('\n') };
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
function placeholders(req: LetterRequest, office: OfficeConfig): Record<LetterPlaceholder, string> {
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
  };
}

function fill(template: string, req: LetterRequest, office: OfficeConfig): string {
  const values = placeholders(req, office);
  return template.replace(/\{([^{}]+)\}/g, (whole, name: string) => (name in values ? values[name as LetterPlaceholder] : whole));
}
