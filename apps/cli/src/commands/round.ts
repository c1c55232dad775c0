import { UserError } from '@reform/config';
import { Caller, PlanDesk, RoundDesk, RoundDetail } from '@reform/desk';
import { EvidenceStore, LetterStore, RoundStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DeskServices, SignIn, withDesk } from '../session';

/** The same RoundDesk as /api/rounds, over the command's database and Temporal client. */
function roundDesk(desk: PlanDesk, plans: PlanService, s: DeskServices): RoundDesk {
  return new RoundDesk({
    desk,
    plans,
    rounds: new RoundStore(s.db),
    definitions: s.definitions,
    directory: s.directory,
    evidence: new EvidenceStore(s.db, s.cfg.evidence.dir),
    letters: new LetterStore(s.db),
    audit: s.audit,
    db: s.db,
  });
}

function withRounds<T>(o: SignIn, work: (rounds: RoundDesk, caller: Caller) => Promise<T>): Promise<T> {
  return withDesk(o, (desk, caller, plans, s) => work(roundDesk(desk, plans, s), caller));
}

function printRound(r: RoundDetail): void {
  console.log(`${r.name}(${r.year}年度,${r.statusLabel})  编号 ${r.id}`);
  console.log(`  ${r.openedOn} 开启;纳入 ${r.cutoff} 以前印发的方案 ${r.counts.tasks} 个:待自查 ${r.counts.inspecting},待核查 ${r.counts.verification},已核查认定 ${r.counts.verified}`);
  for (const t of r.tasks) console.log(`  ${t.planId}  ${t.planTitle}  牵头单位:${t.leadUnit.name}  印发 ${t.issuedOn}  自查期限 ${t.limitDate ?? '—'}  ${t.statusLabel}`);
}

/** `reform round open --name <名称>`: a reform office opens the mid-year round (S3), as POST /api/rounds. */
export async function roundOpen(o: SignIn & { name: string; year?: string; json?: boolean }): Promise<number> {
  const year = o.year === undefined ? undefined : Number(o.year);
  if (year !== undefined && !Number.isInteger(year)) throw new UserError('--year 应为年份,如 2026');
  return withRounds(o, async (rounds, caller) => {
    const round = await rounds.open(caller, { name: o.name, ...(year === undefined ? {} : { year }) });
    if (o.json) console.log(JSON.stringify(round, null, 2));
    else printRound(round);
    return 0;
  });
}

/** `reform round list`: the rounds the signed-in user's unit sees (GET /api/rounds). */
export async function roundList(o: SignIn & { json?: boolean }): Promise<number> {
  return withRounds(o, async (rounds, caller) => {
    const page = await rounds.list(caller, { limit: 100 });
    if (o.json) console.log(JSON.stringify(page, null, 2));
    else if (!page.rows.length) console.log('没有可查看的督察轮次。');
    else for (const r of page.rows) console.log(`${r.id}  ${r.name}  ${r.openedOn} 开启  ${r.statusLabel}  自查任务 ${r.counts.tasks} 个(已核查认定 ${r.counts.verified})`);
    return 0;
  });
}

/** `reform round export <id>`: the 督察评估事项表 as .xlsx or .docx (GET /api/rounds/{id}/table.xlsx|.docx). */
export async function roundExport(id: string, o: SignIn & { format?: string; out?: string }): Promise<number> {
  const format = o.format ?? (o.out?.toLowerCase().endsWith('.docx') ? 'docx' : 'xlsx');
  if (format !== 'xlsx' && format !== 'docx') throw new UserError('--format 应为 xlsx 或 docx');
  return withRounds(o, async (rounds, caller) => {
    const file = format === 'xlsx' ? await rounds.tableXlsx(caller, id) : await rounds.tableDocx(caller, id);
    const out = resolve(o.out ?? file.filename);
    await writeFile(out, file.body);
    console.log(`已写入 ${out}(${file.body.length} 字节)`);
    return 0;
  });
}
