import { LETTER_PLACEHOLDERS } from '@reform/definitions';
import { closest } from '../util/closest';
import * as A from '../syntax/ast';
import { checkSource } from './names';
import { error, Located, Report, Ruleset, SourceFile } from './scope';

const KNOWN = new Set<string>(LETTER_PLACEHOLDERS);

/**
 * Letter templates: one per kind of letter in each scope (a procedure's own wins over the
 * shared one), at least one paragraph, and only placeholders the renderer knows, each checked
 * at its exact place inside the string.
 */
export function checkTemplates(files: SourceFile[], r: Ruleset, report: Report) {
  const text = new Map(files.map((f) => [f.name, f.text]));
  const scopes = [r.shared.templates, ...r.procedures.map((p) => p.templates)];
  for (const templates of scopes) {
    const seen = new Map<string, Located<A.TemplateDecl>>();
    for (const t of templates) {
      const { decl, file } = t;
      if (!decl.letter) continue;
      const first = seen.get(decl.letter);
      if (first) {
        const at = first.decl.letterNode?.range;
        report(error(file, decl.letterNode ?? decl, 'duplicate', `同一种函件只能有一个模板(首次定义于 ${first.file}:${at?.line}:${at?.column})`));
      } else seen.set(decl.letter, t);
      checkSource(file, decl.source, report);
      if (!decl.paragraphs.length) report(error(file, decl.letterNode ?? decl, 'missing-clause', '函件模板至少要有一段正文', '加上「正文 "…"」'));
      for (const s of [decl.subject, ...decl.paragraphs]) if (s) checkPlaceholders(file, text.get(file) ?? '', s, report);
    }
  }
}

function checkPlaceholders(file: string, source: string, s: A.Text, report: Report) {
  const raw = source.slice(s.range.offset, s.range.offset + s.range.length);
  const at = (index: number, length: number): A.Node => ({
    range: { offset: s.range.offset + index, length, line: s.range.line, column: s.range.column + index },
  });
  for (let i = raw.indexOf('{'); i !== -1; i = raw.indexOf('{', i + 1)) {
    const end = raw.indexOf('}', i);
    const next = raw.indexOf('{', i + 1);
    if (end === -1 || (next !== -1 && next < end)) {
      report(error(file, at(i, 1), 'unclosed-placeholder', '占位符缺少「}」', '写成 {截止日期} 这样'));
      continue;
    }
    const name = raw.slice(i + 1, end);
    if (!KNOWN.has(name)) {
      const guess = closest(name, KNOWN);
      report(error(file, at(i, end - i + 1), 'unknown-placeholder', `未知的占位符「{${name}}」`, guess ? `是否想写「{${guess}}」?可用:${LETTER_PLACEHOLDERS.join('、')}` : `可用:${LETTER_PLACEHOLDERS.join('、')}`));
    }
  }
}
