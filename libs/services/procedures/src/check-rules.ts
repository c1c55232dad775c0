import { compileRules, Diagnostic, hasErrors, parseRules, RulesInput } from '@reform/rules';

/** A diagnostic as programs read it: `reform rules check --json` and `POST /api/rules/check` answer these. */
export interface DiagnosticJson {
  file?: string;
  line: number;
  column: number;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
}

export function diagnosticsJson(diagnostics: readonly Diagnostic[]): DiagnosticJson[] {
  return diagnostics.map((d) => ({
    file: d.file,
    line: d.range.line,
    column: d.range.column,
    offset: d.range.offset,
    length: d.range.length,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
}

/** What checking a set of rules files found: the procedures they define, when they have no error. */
export interface RulesCheck {
  ok: boolean;
  files: string[];
  procedures: Array<{ id: string; version: number; title: string }>;
  diagnostics: DiagnosticJson[];
}

/** Checks rules texts with the compiler: every error and warning, positioned. The one check the CLI and the API run. */
export function checkRules(inputs: RulesInput[], options: { partial?: boolean } = {}): RulesCheck {
  const { diagnostics, definitions } = compileRules(inputs, options);
  return {
    ok: !hasErrors(diagnostics),
    files: inputs.map((f) => f.name),
    procedures: definitions?.map((d) => ({ id: d.id, version: d.version, title: d.title })) ?? [],
    diagnostics: diagnosticsJson(diagnostics),
  };
}

/** A file with no 程序 line holds shared declarations (common.rules): roles, ladders. */
export const isSharedRules = (text: string): boolean => !parseRules(text).value.declarations.some((d) => d.kind === 'procedure');

/**
 * Procedure files sent without the shared declarations they use get the shared files of the
 * standard rules (`standard`, read from REFORM_RULES_DIR), as the CLI brings the shared files
 * beside a procedure file. Other procedures then share those declarations: the check is partial.
 */
export function withSharedRules(inputs: RulesInput[], standard: () => RulesInput[]): { inputs: RulesInput[]; partial: boolean } {
  if (inputs.some((f) => isSharedRules(f.text))) return { inputs, partial: false };
  const names = new Set(inputs.map((f) => f.name));
  const shared = standard().filter((f) => isSharedRules(f.text) && !names.has(f.name));
  return { inputs: [...shared, ...inputs], partial: shared.length > 0 };
}
