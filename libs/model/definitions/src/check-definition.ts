import { ProcessDefinition, ProcessDefinitionSchema } from './definition';
import { Checked, checkReferences } from './references';

function zodPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/** Schema issues as lines a user reads: 'plan.title: 方案名称不能为空', under an optional prefix. */
export function describeIssues(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>, prefix?: string): string {
  return issues.map((i) => `${zodPath(prefix ? [prefix, ...i.path] : i.path)}: ${i.message}`).join('\n');
}

/**
 * Validates a definition: its shape (zod) and that every name it uses is declared. The engine
 * refuses a definition with any issue, so a running plan never meets an unknown stage or role.
 */
export function checkDefinition(input: unknown): Checked<ProcessDefinition> {
  const parsed = ProcessDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { diagnostics: parsed.error.issues.map((i) => ({ path: zodPath(i.path), message: i.message })) };
  }
  return checkReferences(parsed.data);
}
