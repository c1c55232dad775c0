/**
 * A procedure's diff (POST /api/rules/diff: `only`, `changes`, `lines` as `reform rules diff`
 * prints them) as the workbench shows it: a Chinese heading of its own (the CLI's first line names
 * the procedure's id) and the change lines.
 */
export interface ProcedureDiffLike {
  title: string;
  from?: number;
  only?: 'added' | 'removed';
  changes: unknown[];
  lines: string[];
}

export function diffView(p: ProcedureDiffLike): { heading: string; changes: string[] } {
  if (p.only === 'added') return { heading: `「${p.title}」是新增的程序,尚未发布过`, changes: [] };
  if (p.only === 'removed') return { heading: `「${p.title}」不在这些文件中`, changes: [] };
  const against = p.from ? `与第${p.from}版相比` : '';
  if (!p.changes.length) return { heading: `「${p.title}」${against}含义没有变化`, changes: [] };
  // The change lines are the indented ones (describeChanges); the first line is the CLI's heading.
  return { heading: `「${p.title}」${against}有 ${p.changes.length} 处变化:`, changes: p.lines.filter((l) => /^\s/.test(l)).map((l) => l.trim()) };
}
