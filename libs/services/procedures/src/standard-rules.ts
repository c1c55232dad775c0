import { UserError } from '@reform/config';
import { ProcessDefinition } from '@reform/definitions';
import { STANDARD_PROCEDURE_IDS } from '@reform/platform';
import { compileRules, printDiagnostics, RulesInput } from '@reform/rules';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The standard procedures' rules files: the reform office edits them, `reform rules` checks them. */
export const STANDARD_RULES_DIR = resolve(__dirname, '../../../../rules/standard');

/** The `.rules` files of a folder, in name order (the order they are compiled and listed in). */
export function readRulesDir(dir: string): RulesInput[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** rules/standard (or the folder REFORM_RULES_DIR names) does not compile; the message lists every diagnostic. */
export class StandardRulesError extends UserError {}

/** Compiled once per folder, on first use: importing this module does no work. */
const compiled = new Map<string, ProcessDefinition[]>();

/** The standard procedures, in the order the product lists them (defined in @reform/platform). */
export { STANDARD_PROCEDURE_IDS };

/**
 * The procedures shipped with the product, compiled from rules/standard when first asked for.
 * The tests keep those files free of errors and warnings; if an edit breaks them, this throws a
 * StandardRulesError with the compiler's own positioned diagnostics rather than publishing a
 * broken procedure.
 */
export function standardProcedures(dir = STANDARD_RULES_DIR): ProcessDefinition[] {
  const hit = compiled.get(dir);
  if (hit) return hit;
  let inputs: RulesInput[];
  try {
    inputs = readRulesDir(dir);
  } catch {
    throw new StandardRulesError(`读不到标准规则目录 ${dir}`);
  }
  const result = compileRules(inputs);
  if (!result.definitions) {
    const text = inputs
      .map((f) => printDiagnostics(f.name, f.text, result.diagnostics.filter((d) => d.file === f.name)))
      .filter(Boolean)
      .join('\n');
    throw new StandardRulesError(`标准规则有错误(${dir}):\n${text}`);
  }
  const ordered = STANDARD_PROCEDURE_IDS.map((id) => result.definitions!.find((d) => d.id === id)).filter((d): d is ProcessDefinition => !!d);
  compiled.set(dir, ordered);
  return ordered;
}

export function standardProcedure(id: string, dir = STANDARD_RULES_DIR): ProcessDefinition {
  const found = standardProcedures(dir).find((d) => d.id === id);
  if (!found) throw new Error(`no standard procedure ${id}`);
  return found;
}
