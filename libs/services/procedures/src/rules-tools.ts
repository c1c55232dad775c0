import { UserError } from '@reform/config';
import type { ProcessDefinition } from '@reform/definitions';
import { Diagnostic, explainProcedure, formatRules, hasErrors, parseRules, RulesInput } from '@reform/rules';

/** A rules file laid out by `formatRules`, or left as it was when it does not parse (its syntax errors with it). */
export interface FormattedRulesFile {
  name: string;
  /** The canonical layout; the text as sent when the file has syntax errors. */
  text: string;
  changed: boolean;
  /** The syntax errors that kept the file from being laid out (none when it was). */
  diagnostics: Diagnostic[];
}

/**
 * Lays out each file in the canonical layout (`reform rules fmt`, `POST /api/rules/format`). Only
 * the syntax counts: a file that parses is laid out whatever the checker would say of it; one that
 * does not is left alone, with its diagnostics (file named).
 */
export function formatRulesFiles(inputs: RulesInput[]): FormattedRulesFile[] {
  return inputs.map((f) => {
    const parsed = parseRules(f.text);
    if (hasErrors(parsed.diagnostics)) return { name: f.name, text: f.text, changed: false, diagnostics: parsed.diagnostics.map((d) => ({ ...d, file: f.name })) };
    const text = formatRules(parsed.value);
    return { name: f.name, text, changed: text !== f.text, diagnostics: [] };
  });
}

/** What a procedure makes the system do, in plain Chinese (`reform rules explain`, `POST /api/rules/explain`). */
export interface ProcedureExplanation {
  id: string;
  title: string;
  version: number;
  text: string;
}

/** The explanation of each procedure, or of the one named (a UserError naming it when there is none). */
export function explainProcedures(definitions: ProcessDefinition[], procedure?: string): ProcedureExplanation[] {
  const defs = definitions.filter((d) => !procedure || d.id === procedure);
  if (!defs.length) throw new UserError(procedure ? `规则中没有程序「${procedure}」` : '规则中没有程序');
  return defs.map((d) => ({ id: d.id, title: d.title, version: d.version, text: explainProcedure(d) }));
}
