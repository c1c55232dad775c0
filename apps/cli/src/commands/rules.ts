import { compileRules, hasErrors } from '@reform/rules';
import { checkRules, explainProcedures, formatRulesFiles } from '@reform/procedures';
import { writeFileSync } from 'node:fs';
import { compileOrFail, gatherRules, report } from './rules-files';

export async function rulesCheck(paths: string[], opts: { json?: boolean }): Promise<number> {
  const { inputs, partial } = gatherRules(paths);
  if (opts.json) {
    // The same check, and the same JSON, as POST /api/rules/check.
    const result = checkRules(inputs, { partial });
    console.log(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  const { diagnostics, definitions, schemes } = compileRules(inputs, { partial });
  const ok = !hasErrors(diagnostics);
  report(inputs, diagnostics);
  if (ok) console.log(`规则无误:${definitions!.map((d) => `${d.title}(${d.id},第${d.version}版)`).join('、') || '没有程序'}。`);
  if (ok && schemes?.length) console.log(`考核细则:${schemes.map((s) => `${s.title}(${s.id},满分 ${s.fullMarks} 分,${s.indicators.length} 项指标)`).join('、')}。`);
  return ok ? 0 : 1;
}

/** Rewrites files in the canonical layout; `--check` only says which would change. A file that does not parse is left alone. */
export async function rulesFmt(paths: string[], opts: { check?: boolean }): Promise<number> {
  const { inputs } = gatherRules(paths);
  let status = 0;
  const changed: string[] = [];
  // The same layout as POST /api/rules/format.
  for (const f of formatRulesFiles(inputs)) {
    if (f.diagnostics.length) {
      report([inputs.find((i) => i.name === f.name)!], f.diagnostics);
      console.error(`${f.name}:有语法错误,未排版`);
      status = 1;
      continue;
    }
    if (!f.changed) continue;
    changed.push(f.name);
    if (!opts.check) writeFileSync(f.name, f.text);
  }
  if (opts.check) {
    changed.forEach((f) => console.log(`需要排版:${f}`));
    if (changed.length) status = 1;
    else if (!status) console.log('排版无误。');
  } else {
    changed.forEach((f) => console.log(`已排版:${f}`));
    if (!changed.length && !status) console.log('无需改动。');
  }
  return status;
}

const compiled = (paths: string[]) => compileOrFail(paths, '规则有错误,未编译').definitions;

export async function rulesCompile(paths: string[], opts: { output?: string }): Promise<number> {
  const json = `${JSON.stringify(compiled(paths), null, 2)}\n`;
  if (opts.output) {
    writeFileSync(opts.output, json);
    console.log(`已写入 ${opts.output}`);
  } else process.stdout.write(json);
  return 0;
}

export async function rulesExplain(paths: string[], opts: { procedure?: string }): Promise<number> {
  // The same explanation as POST /api/rules/explain.
  console.log(explainProcedures(compiled(paths), opts.procedure).map((e) => e.text).join('\n\n'));
  return 0;
}
