import { UserError } from '@reform/config';
import { AssessmentDesk, AssessmentView, SubjectScore } from '@reform/desk';
import { UserAccounts } from '@reform/identity';
import { AssessmentStore } from '@reform/persistence';
import { readRulesDir } from '@reform/procedures';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SignIn, withDesk } from '../session';

/**
 * `reform assess …`: the year-end assessment as the signed-in user, through the same
 * AssessmentDesk as /api/assessments (the reform office computes; a unit reads its own score).
 */
async function withAssessments<T>(o: SignIn, work: (desk: AssessmentDesk, caller: Parameters<AssessmentDesk['get']>[0]) => Promise<T>): Promise<T> {
  return withDesk(o, async (_plans, caller, _service, s) => {
    const desk = new AssessmentDesk({
      accounts: new UserAccounts(s.db),
      directory: s.directory,
      audit: s.audit,
      store: new AssessmentStore(s.db),
      standardRules: () => readRulesDir(s.cfg.rulesDir).map((f) => ({ name: basename(f.name), text: f.text })),
    });
    return work(desk, caller);
  });
}

function subjectLines(s: SubjectScore, detail: boolean): string[] {
  const out = [`${s.subject.name}(${s.subject.type === 'unit' ? '单位' : '地区'} ${s.subject.id}):${s.total} 分(满分 ${s.fullMarks})`];
  if (!detail) return out;
  for (const i of s.indicators) {
    out.push(`  ${i.title}(${i.points} 分,依据 ${i.ruleId}):${i.score}  ${i.formula}`);
    for (const r of i.records) out.push(`    ${r.counts ? '✓' : '✗'} ${r.date ?? ''} ${r.id} ${r.label}${r.planTitle ? `(${r.planTitle})` : ''}:${r.outcome}`);
  }
  return out;
}

/** An assessment as `reform assess` prints it: the scores (with their trace in detail), then who is named (H7) and why. */
export function assessmentLines(a: AssessmentView, detail: boolean): string[] {
  const out = [`${a.year}年度${a.scheme.title}(${a.region.name},计至 ${a.asOf},编号 ${a.id})`];
  for (const s of [...a.units, ...a.areas]) out.push(...subjectLines(s, detail));
  if (!a.named.length) return [...out, '通报名单(H7):无'];
  out.push('通报名单(H7):');
  for (const n of a.named) {
    out.push(`  ${n.subject.name}(${n.subject.type === 'unit' ? '单位' : '地区'} ${n.subject.id}),依据 ${n.ruleId}:`);
    for (const r of n.reasons) {
      out.push(`    ${r.reason}(依据 ${r.ruleId})`);
      for (const x of r.records) out.push(`      ${x.id} ${x.label}${x.planTitle ? `(${x.planTitle})` : ''}:${x.outcome}`);
    }
  }
  return out;
}

function print(a: AssessmentView, detail: boolean) {
  for (const line of assessmentLines(a, detail)) console.log(line);
}

export async function assessCompute(o: SignIn & { year: string; scheme?: string; json?: boolean }): Promise<number> {
  let scheme: { name: string; text: string } | undefined;
  if (o.scheme) {
    try {
      scheme = { name: o.scheme, text: await readFile(o.scheme, 'utf8') };
    } catch {
      throw new UserError(`读不到考核细则「${o.scheme}」:请检查路径`);
    }
  }
  return withAssessments(o, async (desk, caller) => {
    const a = await desk.compute(caller, { year: Number(o.year), scheme });
    if (o.json) console.log(JSON.stringify(a, null, 2));
    else print(a, false);
    return 0;
  });
}

export async function assessShow(id: string, o: SignIn & { json?: boolean }): Promise<number> {
  return withAssessments(o, async (desk, caller) => {
    const a = await desk.get(caller, id);
    if (o.json) console.log(JSON.stringify(a, null, 2));
    else print(a, true);
    return 0;
  });
}

export async function assessExport(id: string, o: SignIn & { output?: string }): Promise<number> {
  return withAssessments(o, async (desk, caller) => {
    const file = await desk.export(caller, id);
    const out = o.output ?? file.filename;
    await writeFile(out, file.body);
    console.log(`已写入 ${out}`);
    return 0;
  });
}
