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

function printSubject(s: SubjectScore, detail: boolean) {
  console.log(`${s.subject.name}(${s.subject.type === 'unit' ? '单位' : '地区'} ${s.subject.id}):${s.total} 分(满分 ${s.fullMarks})`);
  if (!detail) return;
  for (const i of s.indicators) {
    console.log(`  ${i.title}(${i.points} 分,依据 ${i.ruleId}):${i.score}  ${i.formula}`);
    for (const r of i.records) console.log(`    ${r.counts ? '✓' : '✗'} ${r.date ?? ''} ${r.id} ${r.label}${r.planTitle ? `(${r.planTitle})` : ''}:${r.outcome}`);
  }
}

function print(a: AssessmentView, detail: boolean) {
  console.log(`${a.year}年度${a.scheme.title}(${a.region.name},计至 ${a.asOf},编号 ${a.id})`);
  for (const s of [...a.units, ...a.areas]) printSubject(s, detail);
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
