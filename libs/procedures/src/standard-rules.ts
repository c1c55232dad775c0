import { ProcessDefinition } from '@reform/definitions';
import { compileRules, printDiagnostics, RulesInput } from '@reform/rules';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The standard procedures' rules files: the reform office edits them, `reform rules` checks them. */
export const STANDARD_RULES_DIR = resolve(__dirname, '../../../rules/standard');

/** The `.rules` files of a folder, in name order (the order they are compiled and listed in). */
export function readRulesDir(dir: string): RulesInput[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

let cached: ProcessDefinition[] | undefined;

/**
 * The procedures shipped with the product, compiled from rules/standard. The tests keep those
 * files free of errors and warnings; if an edit breaks them, this fails loudly with the
 * compiler's own positioned diagnostics rather than publishing a broken procedure.
 */
export function standardProcedures(): ProcessDefinition[] {
  if (cached) return cached;
  const inputs = readRulesDir(STANDARD_RULES_DIR);
  const compiled = compileRules(inputs);
  if (!compiled.definitions) {
    const text = inputs
      .map((f) => printDiagnostics(f.name, f.text, compiled.diagnostics.filter((d) => d.file === f.name)))
      .filter(Boolean)
      .join('\n');
    throw new Error(`标准规则有错误:\n${text}`);
  }
  cached = ORDER.map((id) => compiled.definitions!.find((d) => d.id === id)).filter((d): d is ProcessDefinition => !!d);
  return cached;
}

/** The standard procedures, in the order the product lists them: the main procedure first. */
export const STANDARD_PROCEDURE_IDS = ['reform_plan', 'pilot', 'central_integration'];
const ORDER = STANDARD_PROCEDURE_IDS;

export function standardProcedure(id: string): ProcessDefinition {
  const found = standardProcedures().find((d) => d.id === id);
  if (!found) throw new Error(`no standard procedure ${id}`);
  return found;
}
