import { UserError } from '@reform/config';
import { Caller, PlanDesk, Problem, ProblemDesk, ProblemDetail, ProblemLetter, ProblemStatus } from '@reform/desk';
import { EvidenceStore, LetterStore, ProblemStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DeskServices, SignIn, withDesk } from '../session';

/** The same ProblemDesk as /api/problems, over the command's database and Temporal client. */
function problemDesk(desk: PlanDesk, plans: PlanService, s: DeskServices): ProblemDesk {
  return new ProblemDesk({
    desk,
    plans,
    problems: new ProblemStore(s.db),
    definitions: s.definitions,
    directory: s.directory,
    evidence: new EvidenceStore(s.db, s.cfg.evidence.dir),
    maxEvidenceBytes: s.cfg.evidence.maxBytes,
    letters: new LetterStore(s.db),
    audit: s.audit,
  });
}

function withProblems<T>(o: SignIn, work: (problems: ProblemDesk, caller: Caller) => Promise<T>): Promise<T> {
  return withDesk(o, (desk, caller, plans, s) => work(problemDesk(desk, plans, s), caller));
}

const list = (s?: string) => (s ? s.split(/[,,、\s]+/).map((x) => x.trim()).filter(Boolean) : []);

function againstText(p: Problem): string {
  if (p.against.type === 'item') return `方案 ${p.against.planId} 事项 ${p.against.itemId}`;
  if (p.against.type === 'plan') return `方案 ${p.against.planId}`;
  return `单位 ${p.against.unitId}`;
}

function problemLine(p: Problem): string {
  return `${p.id}  ${p.number}  ${p.statusLabel}  整改期限 ${p.limitDate ?? '—'}  ${p.description}`;
}

function letterLines(l: ProblemLetter): string[] {
  return [`  ${l.number} ${l.subject}(${l.issuedOn},依据 ${l.ruleId})`];
}

function printDetail(d: ProblemDetail): void {
  console.log(`${d.number}  ${d.statusLabel}`);
  console.log(`  编号 ${d.id}`);
  console.log(`  问题:${d.description}`);
  console.log(`  对象:${againstText(d)};整改单位 ${d.against.unitId};发现于 ${d.foundOn};整改期限 ${d.limitDate ?? '—(移交后由规则算出)'}`);
  if (d.note) console.log(`  情况说明:${d.note}`);
  if (d.engine) {
    console.log(`  所处环节:${d.engine.stage.label}`);
    for (const a of d.engine.actions) console.log(`  可办理:${a.action}(${a.label})${a.blockers.length ? `,暂不能办理:${a.blockers.join(';')}` : ''}`);
  } else console.log('  流程引擎暂未应答:环节和可办理的操作稍后可见');
  if (d.letters.length) {
    console.log('  函件:');
    for (const l of d.letters) for (const line of letterLines(l)) console.log(line);
  }
}

export interface ProblemRegisterOptions extends SignIn {
  description: string;
  unit?: string;
  plan?: string;
  item?: string;
  foundOn?: string;
  person?: string;
  json?: boolean;
}

/** `reform problem register`: a reform office registers (挂号) a problem in its level's library (POST /api/problems). */
export async function problemRegister(o: ProblemRegisterOptions): Promise<number> {
  if (!!o.unit === !!o.plan) throw new UserError('须写明问题的对象:--unit <单位编号>,或 --plan <方案编号>(事项再加 --item <事项编号>),二者取一');
  if (o.item && !o.plan) throw new UserError('--item 须与 --plan 一起写');
  const against = o.unit ? { type: 'unit' as const, unitId: o.unit } : o.item ? { type: 'item' as const, planId: o.plan!, itemId: o.item } : { type: 'plan' as const, planId: o.plan! };
  return withProblems(o, async (problems, caller) => {
    const d = await problems.register(caller, { against, description: o.description, foundOn: o.foundOn, responsiblePerson: o.person });
    if (o.json) console.log(JSON.stringify(d, null, 2));
    else {
      console.log(`已挂号:${d.number}`);
      printDetail(d);
    }
    return 0;
  });
}

/** `reform problem list`: the library of the user's level, or the problems the user's unit rectifies (GET /api/problems). */
export async function problemList(o: SignIn & { status?: string; limit?: string; offset?: string; json?: boolean }): Promise<number> {
  return withProblems(o, async (problems, caller) => {
    const page = await problems.list(caller, {
      ...(o.status ? { status: o.status as ProblemStatus } : {}),
      ...(o.limit ? { limit: o.limit as unknown as number } : {}),
      ...(o.offset ? { offset: o.offset as unknown as number } : {}),
    });
    if (o.json) {
      console.log(JSON.stringify(page, null, 2));
      return 0;
    }
    if (page.counts) console.log(`本级问题库:未销号 ${page.counts.open},留号 ${page.counts.kept},已销号 ${page.counts.cancelled},已上交 ${page.counts.escalated}`);
    if (!page.rows.length) console.log('没有可查看的问题。');
    for (const r of page.rows) console.log(problemLine(r));
    if (page.total > page.rows.length) console.log(`共 ${page.total} 个;用 --offset 翻页`);
    return 0;
  });
}

/** `reform problem show <id>`: the problem, its stage, limit, the user's actions and its letters (GET /api/problems/{id}). */
export async function problemShow(id: string, o: SignIn & { json?: boolean }): Promise<number> {
  return withProblems(o, async (problems, caller) => {
    const d = await problems.detail(caller, id);
    if (o.json) console.log(JSON.stringify(d, null, 2));
    else printDetail(d);
    return 0;
  });
}

/** `reform problem history <id>`: who did what when, oldest first, with what changed (GET /api/problems/{id}/history). */
export async function problemHistory(id: string, o: SignIn & { json?: boolean }): Promise<number> {
  return withProblems(o, async (problems, caller) => {
    const { rows } = await problems.history(caller, id);
    if (o.json) console.log(JSON.stringify(rows, null, 2));
    else
      for (const r of rows) {
        const who = r.actor ? [r.actor.unitName ?? r.actor.unitId, r.actor.name].filter(Boolean).join(' ') : '系统(流程引擎)';
        console.log(`${r.at}  ${r.actionLabel}  ${who}`);
        for (const line of r.details) console.log(`  ${line}`);
      }
    return 0;
  });
}

/** `reform problem act <id> <action>`: an action in the role the user's unit holds (POST /api/problems/{id}/actions). */
export async function problemAct(id: string, action: string, o: SignIn & { date?: string; reason?: string; note?: string; evidence?: string; json?: boolean }): Promise<number> {
  return withProblems(o, async (problems, caller) => {
    const d = await problems.act(caller, id, { action: action as never, businessDate: o.date, reason: o.reason, note: o.note, evidenceIds: list(o.evidence) });
    if (o.json) console.log(JSON.stringify(d, null, 2));
    else {
      console.log('已办理。');
      printDetail(d);
    }
    return 0;
  });
}

/**
 * `reform problem hand-over <id…>`: several problems of one unit handed over in one 整改意见书
 * (POST /api/problems/hand-over). With `--request-id`, a repeat completes the same handover.
 */
export async function problemHandOver(ids: string[], o: SignIn & { date?: string; json?: boolean }): Promise<number> {
  return withProblems(o, async (problems, caller) => {
    const h = await problems.handOver(caller, { problemIds: ids, businessDate: o.date });
    if (o.json) {
      console.log(JSON.stringify(h, null, 2));
      return 0;
    }
    console.log(`已移交整改:${h.problems.length} 个问题,一份整改意见书(移交编号 ${h.id},请求编号 ${caller.requestId})`);
    for (const p of h.problems) console.log(`  ${problemLine(p)}`);
    if (h.letter) for (const line of letterLines(h.letter)) console.log(line);
    else console.log(`  整改意见书稍后写出:npx reform problem show ${h.problems[0]?.id ?? ''}`);
    return 0;
  });
}

/** `reform problem evidence <id> <file>`: uploads an evidence file for the problem (POST /api/problems/{id}/evidence). */
export async function problemEvidence(id: string, file: string, o: SignIn & { json?: boolean }): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new UserError(`找不到文件 ${file}`);
    },
  );
  return withProblems(o, async (problems, caller) => {
    const e = await problems.upload(caller, id, { filename: basename(file), declaredLength: size, body: createReadStream(file) });
    if (o.json) console.log(JSON.stringify(e, null, 2));
    else console.log(`已上传:${e.filename}(${e.size} 字节)  佐证材料编号 ${e.evidenceId}\n验收销号时附上:npx reform problem act ${id} verify --evidence ${e.evidenceId}`);
    return 0;
  });
}
