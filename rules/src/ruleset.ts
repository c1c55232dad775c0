import { checkReferences as checkDefinitionReferences, ProcessDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { Diagnostic, hasErrors, sortDiagnostics } from './diagnostics';
import { checkDeadlineLadders, checkLadderOrder } from './check/ladder';
import { buildSymbols, checkReferences } from './check/names';
import { buildRuleset, error, Report, Ruleset, SourceFile, warning } from './check/scope';
import { checkConditions, checkStages, roleUses } from './check/structure';
import { checkTemplates } from './check/templates';
import { checkLights } from './check/lights';
import { checkValues } from './check/values';
import { compileProcedure } from './compile/compile';
import { MAX_DIAGNOSTICS, parseRules } from './syntax/parse';
import { AssessmentScheme, checkSchemes, compileScheme } from './assessment/scheme';

export interface RulesInput {
  /** As the user named it: it prefixes every diagnostic. */
  name: string;
  text: string;
}

export interface CompiledRuleset {
  files: SourceFile[];
  ruleset: Ruleset;
  /** Present only when there is no error anywhere: a ruleset with errors is never published. */
  definitions?: ProcessDefinition[];
  /** The assessment schemes (考核细则), likewise only when there is no error anywhere. */
  schemes?: AssessmentScheme[];
  diagnostics: Diagnostic[];
}

/**
 * Parse, check and compile a set of rules files: the one entry point the CLI, the API and the
 * tests use. Never throws; errors and warnings come back as positioned diagnostics.
 */
export interface CompileOptions {
  /**
   * Only part of a ruleset (one procedure file and the shared files beside it): checks that
   * need every procedure, such as a shared role nobody uses, are left out.
   */
  partial?: boolean;
}

export function compileRules(inputs: RulesInput[], options: CompileOptions = {}): CompiledRuleset {
  const all: Diagnostic[] = [];
  const seen = new Set<string>();
  const hints = new Map<Diagnostic, () => string | undefined>();
  let unknownNames = 0;
  const report: Report = (d, hint) => {
    // Shared declarations are checked in each procedure's scope: report each finding once.
    const key = `${d.file}:${d.range.offset}:${d.code}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    all.push(d);
    if (hint) hints.set(d, hint);
    if (d.code === 'unknown-name') unknownNames++;
  };
  const broken = new Set<string>();
  const files: SourceFile[] = inputs.map((input) => {
    const parsed = parseRules(input.text);
    parsed.diagnostics.forEach((d) => report({ ...d, file: input.name }));
    if (hasErrors(parsed.diagnostics)) broken.add(input.name);
    return { name: input.name, text: input.text, ast: parsed.value };
  });

  const ruleset = buildRuleset(files, report);
  if (!ruleset.procedures.length && !ruleset.schemes.length && files.some((f) => f.ast.declarations.length === 0 && !f.text.trim())) {
    for (const f of files) if (!f.text.trim()) report(error(f.name, { range: { offset: 0, length: 0, line: 1, column: 1 } }, 'empty-file', '文件是空的'));
  }
  const symbols = buildSymbols(ruleset, report);
  const used = new Set<string>();
  for (const p of ruleset.procedures) {
    const s = symbols.get(p)!;
    const before = unknownNames;
    checkReferences(p, s, report, !broken.has(p.file));
    // The stage graph of a file with unreadable parts or unknown stages would report holes that
    // are only echoes of those errors.
    const stagesKnown = unknownNames === before;
    if (!broken.has(p.file) && stagesKnown) checkStages(p, report);
    checkConditions(p, report);
    checkDeadlineLadders(p.file, p.deadlines, s, report);
    roleUses(p, s).forEach((r) => used.add(`${p.header.id?.text}:${r}`));
  }
  for (const { file, decl } of [...ruleset.shared.ladders, ...ruleset.procedures.flatMap((p) => p.ladders)]) checkLadderOrder(file, decl.levels, report);
  if (!options.partial) checkRolesAct(ruleset, used, broken, report);
  checkTemplates(files, ruleset, report);
  checkValues(ruleset, report);
  checkLights(ruleset, report);
  checkSchemes(ruleset, report, broken);

  let definitions: ProcessDefinition[] | undefined;
  if (!hasErrors(all)) {
    definitions = [];
    for (const p of ruleset.procedures) {
      const compiled = ProcessDefinitionSchema.safeParse(compileProcedure(p, symbols.get(p)!, ruleset.shared.templates, ruleset.shared.lights));
      // The checks above should make these impossible; if one slips through it is our bug, and
      // the user still gets a position rather than a published definition the engine refuses.
      const issues = compiled.success
        ? checkDefinitionReferences(compiled.data).diagnostics
        : compiled.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      issues.forEach((i) => report(error(p.file, p.header, 'internal', `编译结果未通过流程定义校验:${i.path}:${i.message}`)));
      if (compiled.success && !issues.length) definitions.push(compiled.data);
    }
    if (hasErrors(all)) definitions = undefined;
  }
  // A hint searches the declared names: it is worked out only for the diagnostics shown.
  const diagnostics = capPerFile(sortDiagnostics(all)).map((d) => {
    const hint = hints.get(d)?.();
    return hint ? { ...d, hint } : d;
  });
  const schemes = definitions ? ruleset.schemes.map((s) => compileScheme(s.decl)) : undefined;
  return { files, ruleset, definitions, schemes, diagnostics };
}

/** At most MAX_DIAGNOSTICS per file, the last one saying how many more there were. */
function capPerFile(sorted: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const count = new Map<string | undefined, number>();
  for (const d of sorted) count.set(d.file, (count.get(d.file) ?? 0) + 1);
  const kept = new Map<string | undefined, number>();
  for (const d of sorted) {
    const n = kept.get(d.file) ?? 0;
    const total = count.get(d.file)!;
    if (total <= MAX_DIAGNOSTICS || n < MAX_DIAGNOSTICS - 1) out.push(d);
    else if (n === MAX_DIAGNOSTICS - 1) {
      out.push({ severity: 'error', code: 'too-many-errors', message: `错误过多,仅列出前${MAX_DIAGNOSTICS - 1}个;这可能不是规则文件`, range: d.range, file: d.file });
    }
    kept.set(d.file, n + 1);
  }
  return out;
}

/** A role is worth declaring if, in some procedure that sees it, it acts or is written to. */
function checkRolesAct(r: Ruleset, used: Set<string>, broken: Set<string>, report: (d: Diagnostic) => void) {
  // In a file the parser could not read whole, the uses may be in the unreadable part.
  if (broken.size) return;
  const usedAnywhere = (id: string, procedures: typeof r.procedures) => procedures.some((p) => used.has(`${p.header.id?.text}:${id}`));
  for (const { file, decl } of r.shared.roles) {
    if (decl.id && r.procedures.length && !usedAnywhere(decl.id.text, r.procedures)) {
      report(warning(file, decl.id, 'role-never-acts', `角色「${decl.id.text}」在任何程序中既不办理动作,也不收函件`));
    }
  }
  for (const p of r.procedures) {
    for (const { file, decl } of p.roles) {
      if (decl.id && !usedAnywhere(decl.id.text, [p])) report(warning(file, decl.id, 'role-never-acts', `角色「${decl.id.text}」既不办理任何动作,也不收任何函件`));
    }
  }
}
