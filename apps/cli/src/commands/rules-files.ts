import { compileRules, Diagnostic, printDiagnostics, RulesInput, summarize } from '@reform/rules';
import { compiledProcedures, isSharedRules } from '@reform/procedures';
import { UserError } from '@reform/config';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { config } from '../root';

/** Rules files larger than this are refused before reading: no procedure is that long. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function read(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UserError(`读不到文件 ${file}`);
  }
  if (size > MAX_FILE_BYTES) throw new UserError(`${file}:文件过大(${Math.round(size / 1024 / 1024)} MB),规则文件不应超过 16 MB`);
  return readFileSync(file, 'utf8');
}

const display = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

function rulesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The files a command works on: folders give their .rules files; a single procedure file brings
 * the shared files beside it, since its roles and ladders are declared there. No path: the
 * standard rules (REFORM_RULES_DIR, by default rules/standard).
 */
export function gatherRules(paths: string[]): { inputs: RulesInput[]; partial: boolean } {
  const named = new Map<string, RulesInput>();
  const otherProcedures = new Set<string>();
  const add = (file: string, text?: string) => {
    const name = display(file);
    if (!named.has(name)) named.set(name, { name, text: text ?? read(file) });
  };
  for (const p of paths.length ? paths : [config().rulesDir]) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UserError(`读不到文件 ${p}`);
    }
    if (isDir) {
      const files = rulesIn(p);
      if (!files.length) throw new UserError(`${p} 中没有 .rules 文件`);
      files.forEach((f) => add(f));
      continue;
    }
    add(p);
    for (const sibling of rulesIn(dirname(p))) {
      if (named.has(display(sibling))) continue;
      const text = read(sibling);
      if (isSharedRules(text)) add(sibling, text);
      else otherProcedures.add(display(sibling));
    }
  }
  // Procedure files named one by one may leave out others that share the same roles.
  const partial = [...otherProcedures].some((f) => !named.has(f));
  return { inputs: [...named.values()], partial };
}

export function printAll(inputs: RulesInput[], diagnostics: Diagnostic[]): string {
  const blocks = inputs
    .map((f) => printDiagnostics(f.name, f.text, diagnostics.filter((d) => d.file === f.name)))
    .filter(Boolean);
  return blocks.join('\n\n');
}

export function report(inputs: RulesInput[], diagnostics: Diagnostic[]) {
  if (diagnostics.length) console.error(`${printAll(inputs, diagnostics)}\n`);
  console.error(`${inputs.length} 个文件:${summarize(diagnostics)}`);
}

/** Compiles the rules at these paths; with any error, prints every diagnostic and stops with `refusal`. */
export function compileOrFail(paths: string[], refusal: string) {
  const { inputs, partial } = gatherRules(paths);
  const result = compileRules(inputs, { partial });
  if (!result.definitions) {
    report(inputs, result.diagnostics);
    throw new UserError(refusal);
  }
  return { inputs, result, definitions: result.definitions, compiled: compiledProcedures(inputs, result) };
}
