import { UserError } from '@reform/config';
import type { ProcessDefinition } from '@reform/definitions';
import { CompiledRuleset, compileRules, Diagnostic, hasErrors, parseRules, RulesInput } from '@reform/rules';
import { basename } from 'node:path';

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
  /** The assessment schemes (考核细则) the files define, when they have no error. */
  schemes: Array<{ id: string; title: string; fullMarks: number }>;
  diagnostics: DiagnosticJson[];
}

/** Checks rules texts with the compiler: every error and warning, positioned. The one check the CLI and the API run. */
export function checkRules(inputs: RulesInput[], options: { partial?: boolean } = {}): RulesCheck {
  return checkOf(inputs, compileRules(inputs, options));
}

function checkOf(inputs: RulesInput[], { diagnostics, definitions, schemes }: CompiledRuleset): RulesCheck {
  return {
    ok: !hasErrors(diagnostics),
    files: inputs.map((f) => f.name),
    procedures: definitions?.map((d) => ({ id: d.id, version: d.version, title: d.title })) ?? [],
    schemes: schemes?.map((s) => ({ id: s.id, title: s.title, fullMarks: s.fullMarks })) ?? [],
    diagnostics: diagnosticsJson(diagnostics),
  };
}

/**
 * A file with no 程序 line holds shared declarations (common.rules): roles, ladders. A file of
 * assessment schemes alone (assessment.rules) shares nothing with procedures.
 */
export const isSharedRules = (text: string): boolean => {
  const declarations = parseRules(text).value.declarations;
  return !declarations.some((d) => d.kind === 'procedure') && !(declarations.length && declarations.every((d) => d.kind === 'scheme'));
};

/**
 * Procedure files sent without the shared declarations they use get the shared files of the
 * standard rules (`standard`, read from REFORM_RULES_DIR), as the CLI brings the shared files
 * beside a procedure file. Other procedures then share those declarations: the check is partial.
 */
export function withSharedRules(inputs: RulesInput[], standard: () => RulesInput[]): { inputs: RulesInput[]; partial: boolean } {
  if (inputs.some((f) => isSharedRules(f.text))) return { inputs, partial: false };
  const names = new Set(inputs.map((f) => f.name));
  const shared = sharedFiles(standard()).filter((f) => !names.has(f.name));
  return { inputs: [...shared, ...inputs], partial: shared.length > 0 };
}

/** The shared files of the standard rules, parsed again only when their texts change (every check without them asks). */
let lastShared: { key: string; shared: RulesInput[] } | undefined;
function sharedFiles(files: RulesInput[]): RulesInput[] {
  const key = files.map((f) => `${f.name}\u0000${f.text}`).join('\u0000');
  if (lastShared?.key !== key) lastShared = { key, shared: files.filter((f) => isSharedRules(f.text)) };
  return lastShared.shared;
}

/** Rules that fail their checks: the API answers 422 with every diagnostic; nothing was published or run. */
export class RulesInvalidError extends UserError {
  constructor(readonly check: RulesCheck) {
    const errors = check.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    super(first ? `规则有 ${errors.length} 处错误,首处在 ${first.file}:${first.line}:${first.column}:${first.message}` : '规则有错误');
  }
}

/** A rules file as it was published: the text of a version. */
export interface RulesSource {
  name: string;
  text: string;
}

/** A ruleset that compiled without error: its procedures, the versions their files state, and each one's files. */
export interface CompiledProcedures {
  check: RulesCheck;
  definitions: ProcessDefinition[];
  /** The 版本 a procedure's file states, if it states one (publish then uses exactly that number). */
  explicitVersions: Map<string, number | undefined>;
  /** The files a procedure is written in: its own file and the shared declarations (file names without folders). */
  sources(procedureId: string): RulesSource[];
}

/**
 * Compiles rules texts for a use that needs them free of errors (publish, diff, simulate): the
 * procedures, or a RulesInvalidError with every positioned diagnostic.
 */
export function compileOrRefuse(inputs: RulesInput[], options: { partial?: boolean } = {}): CompiledProcedures {
  const result = compileRules(inputs, options);
  const check = checkOf(inputs, result);
  if (!result.definitions || !check.ok) throw new RulesInvalidError(check);
  return compiledProcedures(inputs, result, check);
}

/** The procedures of a ruleset that compiled (its `definitions` are there): see CompiledProcedures. */
export function compiledProcedures(inputs: RulesInput[], result: CompiledRuleset, check: RulesCheck = checkOf(inputs, result)): CompiledProcedures {
  if (!result.definitions) throw new RulesInvalidError(check);
  const shared = inputs.filter((f) => isSharedRules(f.text));
  return {
    check,
    definitions: result.definitions,
    explicitVersions: new Map(result.ruleset.procedures.map((p) => [p.header.id?.text ?? '', p.header.version?.value])),
    sources(procedureId) {
      const own = result.ruleset.procedures.find((p) => p.header.id?.text === procedureId)?.file;
      return [...shared, ...inputs.filter((f) => f.name === own)].map((f) => ({ name: basename(f.name), text: f.text }));
    },
  };
}
