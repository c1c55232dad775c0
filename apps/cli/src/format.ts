import { formatChineseDate } from '@reform/calendar';
import { ITEM_STATUS_LABEL } from '@reform/definitions';
import { LETTER_KIND_LABEL } from '@reform/letters';
import type { MyAction } from '@reform/desk';
import type { LedgerListRow } from '@reform/ledger';
import type { PlanView } from '@reform/machine';
import type { LetterRow } from '@reform/persistence';

const STATUS: Record<string, string> = { open: '进行中', met: '已办结', cancelled: '已取消' };

/** A plan as a clerk reads it in the terminal, with the actions their unit may take (PlanDesk). */
export function formatPlan(v: PlanView, mine: MyAction[]): string {
  const out: string[] = [];
  out.push(`方案:${v.plan.title}`);
  out.push(`编号:${v.workflowId}`);
  out.push(`流程:${v.procedure.title} 第${v.procedure.version}版    牵头单位:${v.plan.leadUnit}    责任人:${v.plan.responsiblePerson}`);
  out.push(`当前阶段:${v.stage.label}${v.stage.source ? `(${v.stage.source})` : ''}${v.finished ? '  [已办结]' : ''}`);
  if (mine.length) {
    out.push('', '您可办理的操作:');
    for (const c of mine) {
      const note = c.blockers.length ? `  (暂不可办:${c.blockers.join(';')})` : c.needsReason ? '  (须写明理由 --reason)' : '';
      out.push(`  npx reform plan act ${v.workflowId} ${c.action}    # ${c.label}(${c.roleLabel})${note}`);
    }
  }
  if (v.deadlines.length) {
    out.push('', '时限:');
    for (const d of v.deadlines) {
      const next = d.status === 'open' && d.next ? `  下一步:${LETTER_KIND_LABEL[d.next.kind as keyof typeof LETTER_KIND_LABEL]} ${d.next.at}` : '';
      const met = d.metOn ? `,${formatChineseDate(d.metOn)}办结${d.late ? '(逾期)' : ''}` : '';
      out.push(`  ${d.label}(${d.source}):自${formatChineseDate(d.anchor)}起,截止${formatChineseDate(d.due)} [${STATUS[d.status]}${met}]${next}`);
      out.push(`      ${d.explanation.join(';')}`);
    }
  }
  if (v.letters.length) {
    out.push('', '已发函件:');
    for (const l of v.letters) out.push(`  ${l.number}  ${LETTER_KIND_LABEL[l.kind]}  ${formatChineseDate(l.issuedOn)}  ${l.deadlineLabel}${l.limitUntil ? `  限${formatChineseDate(l.limitUntil)}前办结` : ''}`);
  }
  // A plan answered by an older worker has no failedLetters.
  const failed = v.failedLetters ?? [];
  if (failed.length) {
    out.push('', '未能生成的函件(已跳过,请运维人员处理):');
    for (const f of failed) out.push(`  ${formatChineseDate(f.failedOn)}  ${LETTER_KIND_LABEL[f.kind]}  ${f.deadlineLabel}:${f.reason}`);
  }
  const items = Object.entries(v.items);
  if (items.length) {
    out.push('', '具体改革事项:');
    for (const [id, i] of items) out.push(`  ${id}. ${i.title}  [${ITEM_STATUS_LABEL[i.status]}]  更新于${formatChineseDate(i.updatedOn)}`);
  }
  const migrations = v.log.filter((e) => e.action === 'migrate');
  if (migrations.length) {
    out.push('', '版本迁移:');
    for (const m of migrations) out.push(`  ${formatChineseDate(m.recordedOn)} ${m.reason ?? ''}${m.actor ? `(经办人:${m.actor})` : ''}`);
  }
  if (v.returns.length) {
    out.push('', '退回记录:');
    for (const r of v.returns) out.push(`  ${formatChineseDate(r.businessDate)} ${r.stageLabel ?? r.stage}:${r.reason ?? ''}`);
  }
  return out.join('\n');
}

export function formatLetterLine(l: LetterRow): string {
  return `${l.number}  ${LETTER_KIND_LABEL[l.kind as keyof typeof LETTER_KIND_LABEL] ?? l.kind}  ${l.issuedOn}  ${l.workflowId}  ${l.subject}`;
}

/** One plan of the ledger list, on one line. */
export function formatLedgerRow(r: LedgerListRow): string {
  const due = r.nextDue ? `  下一截止:${formatChineseDate(r.nextDue)}${r.overdue ? '(已逾期)' : ''}` : '';
  return `${r.planId}  ${r.title}  [${r.stage.label}${r.status === 'closed' ? ',已办结' : ''}]${due}`;
}
