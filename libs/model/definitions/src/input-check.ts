import { isLocalDate } from '@reform/calendar/core';
import type { ProcessDefinition } from './definition';
import { LENGTH_LIMITS } from './limits';
import { ITEM_STATUSES, REGION_PATH } from './model';
import type { Command, Plan, StartInputData } from './plan';
import { checkReferences, DefinitionIssue } from './references';

/**
 * Small hand-written checks for what reaches the workflow. The service parses every input with
 * the zod schemas first and answers the user with their messages; these checks only keep input
 * that came some other way (a client of its own, the temporal CLI) from breaking the engine, and
 * keep zod out of the workflow bundle. Each answers field-path messages in Chinese; none is empty
 * when the input is one the engine cannot run.
 */

type Issues = string[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The most a desk may carry with an act or a registration (JSON characters): a round task's items fit, a file does not. */
export const DESK_DATA_MAX_CHARS = 200_000;

/** A desk's data carried with an act or a registration: a plain JSON object of bounded size. */
export function isDeskData(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  try {
    return JSON.stringify(v).length <= DESK_DATA_MAX_CHARS;
  } catch {
    return false;
  }
}
const isText = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.trim().length > 0 && v.trim().length <= max;

function arrays(issues: Issues, obj: Record<string, unknown>, path: string, keys: string[]): void {
  for (const k of keys) if (!Array.isArray(obj[k])) issues.push(`${path}${k}: 应为列表`);
}

/** The parts of a definition the engine walks, present with their kinds; then every name it uses declared. */
export function checkDefinitionInput(raw: unknown, at = 'definition'): Issues {
  if (!isObject(raw)) return [`${at}: 应为流程定义对象`];
  const issues: Issues = [];
  if (!isText(raw.id)) issues.push(`${at}.id: 应为流程标识`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1) issues.push(`${at}.version: 应为正整数版本号`);
  if (!isText(raw.title)) issues.push(`${at}.title: 不能为空`);
  arrays(issues, raw, `${at}.`, ['roles', 'attributes', 'events', 'startEvents', 'stages', 'deadlines']);
  if (issues.length) return issues;
  const stages = raw.stages as unknown[];
  if (!stages.length) issues.push(`${at}.stages: 至少应有一个阶段`);
  stages.forEach((s, i) => {
    if (!isObject(s)) return void issues.push(`${at}.stages[${i}]: 应为阶段对象`);
    arrays(issues, s, `${at}.stages[${i}].`, ['requires', 'actions']);
    if (Array.isArray(s.actions)) {
      s.actions.forEach((a, j) => {
        if (!isObject(a)) return void issues.push(`${at}.stages[${i}].actions[${j}]: 应为操作对象`);
        arrays(issues, a, `${at}.stages[${i}].actions[${j}].`, ['roles', 'records', 'needsEvents']);
      });
    }
  });
  (raw.deadlines as unknown[]).forEach((d, i) => {
    if (!isObject(d) || !isObject(d.from) || !isObject(d.metBy) || !Array.isArray(d.ladder)) {
      return void issues.push(`${at}.deadlines[${i}]: 应写明 from、metBy 和 ladder`);
    }
    d.ladder.forEach((l, j) => {
      if (!isObject(l) || !isObject(l.trigger)) return void issues.push(`${at}.deadlines[${i}].ladder[${j}]: 应写明 trigger`);
      arrays(issues, l, `${at}.deadlines[${i}].ladder[${j}].`, ['to', 'cc']);
    });
  });
  if (issues.length) return issues;
  return checkReferences(raw as unknown as ProcessDefinition).diagnostics.map((d: DefinitionIssue) => `${at}.${d.path}: ${d.message}`);
}

export function checkCalendarInput(raw: unknown, at = 'calendar'): Issues {
  if (!isObject(raw) || !Array.isArray(raw.years)) return [`${at}.years: 应为各年节假日安排的列表`];
  const issues: Issues = [];
  raw.years.forEach((y, i) => {
    const p = `${at}.years[${i}]`;
    if (!isObject(y) || typeof y.year !== 'number' || !Array.isArray(y.holidays) || !Array.isArray(y.workdays)) {
      return void issues.push(`${p}: 应写明 year、holidays 和 workdays`);
    }
    y.holidays.forEach((h, j) => {
      if (!isObject(h) || !isLocalDate(h.from) || !isLocalDate(h.to)) issues.push(`${p}.holidays[${j}]: 起止日期应为 YYYY-MM-DD 格式的真实日期`);
    });
    y.workdays.forEach((w, j) => {
      if (!isObject(w) || !isLocalDate(w.date)) issues.push(`${p}.workdays[${j}].date: 应为 YYYY-MM-DD 格式的真实日期`);
    });
  });
  return issues;
}

const PLAN_TEXT: Array<keyof Plan> = ['title', 'leadUnit', 'responsibleLeader', 'responsiblePerson', 'specialGroup'];

/** A plan's units as ids (optional on a plan): a region path and unit ids the ledger can store. */
function checkPlanScope(raw: unknown, at = 'plan.scope'): Issues {
  if (!isObject(raw)) return [`${at}: 应为方案所属单位对象`];
  const issues: Issues = [];
  const path = raw.regionPath;
  if (typeof path !== 'string' || path.length > LENGTH_LIMITS.regionPath || !REGION_PATH.test(path)) issues.push(`${at}.regionPath: 地区路径应形如 /sc/cd/`);
  if (!isText(raw.leadUnitId, LENGTH_LIMITS.unitId)) issues.push(`${at}.leadUnitId: 应为牵头单位编号`);
  if (raw.specialGroupId !== undefined && !isText(raw.specialGroupId, LENGTH_LIMITS.unitId)) issues.push(`${at}.specialGroupId: 应为专项小组编号`);
  if (!Array.isArray(raw.participatingUnitIds) || raw.participatingUnitIds.some((u) => !isText(u, LENGTH_LIMITS.unitId))) {
    issues.push(`${at}.participatingUnitIds: 应为参与单位编号的列表`);
  }
  return issues;
}

/** A start input the workflow can run: every part present, dates real, the definition consistent. */
export function checkStartInput(raw: unknown): Issues {
  if (!isObject(raw)) return ['启动参数应为对象'];
  const input = raw as Partial<Record<keyof StartInputData, unknown>>;
  const issues = [...checkDefinitionInput(input.definition), ...checkCalendarInput(input.calendar)];
  if (!isObject(input.plan)) issues.push('plan: 应为方案对象');
  else {
    for (const k of PLAN_TEXT) if (!isText(input.plan[k])) issues.push(`plan.${k}: 不能为空`);
    if (input.plan.scope !== undefined) issues.push(...checkPlanScope(input.plan.scope));
  }
  if (input.attributes !== undefined && (!isObject(input.attributes) || Object.values(input.attributes).some((v) => typeof v !== 'boolean'))) {
    issues.push('attributes: 应为属性名到 true/false 的对应');
  }
  if (input.historyLimit !== undefined && (typeof input.historyLimit !== 'number' || !Number.isInteger(input.historyLimit) || input.historyLimit < 100)) {
    issues.push('historyLimit: 应为不小于100的整数');
  }
  if (!isLocalDate(input.registeredOn)) issues.push('registeredOn: 日期应为 YYYY-MM-DD 格式的真实日期');
  if (input.registeredBy !== undefined) {
    const by = input.registeredBy;
    const ok = isObject(by) && isText(by.userId) && isText(by.name) && (by.unitId === null || isText(by.unitId)) && (by.requestId === undefined || isText(by.requestId)) && (by.desk === undefined || isDeskData(by.desk));
    if (!ok) issues.push('registeredBy: 应为登记人(userId、name、unitId、requestId、desk)');
  }
  if (input.startEvents !== undefined) {
    if (!isObject(input.startEvents)) issues.push('startEvents: 应为事件名到日期的对应');
    else for (const [e, d] of Object.entries(input.startEvents)) if (!isLocalDate(d)) issues.push(`startEvents.${e}: 日期应为 YYYY-MM-DD 格式的真实日期`);
  }
  return issues;
}

/** A command as the engine takes it, with its text trimmed; or what is wrong with it. */
export function checkCommand(raw: unknown): { value?: Command; issues: Issues } {
  if (!isObject(raw)) return { issues: ['操作应为对象'] };
  const issues: Issues = [];
  const optionalText = (key: string, v: unknown, max: number) => {
    if (v !== undefined && (typeof v !== 'string' || v.trim().length > max)) issues.push(`${key}: 应为不超过${max}字的文字`);
  };
  if (!isText(raw.action)) issues.push('action: 不能为空');
  if (!isText(raw.role)) issues.push('role: 不能为空');
  optionalText('actor', raw.actor, LENGTH_LIMITS.name);
  optionalText('reason', raw.reason, LENGTH_LIMITS.reason);
  if (raw.businessDate !== undefined && !isLocalDate(raw.businessDate)) issues.push('businessDate: 日期应为 YYYY-MM-DD 格式的真实日期');
  const item = raw.item;
  if (item !== undefined) {
    if (!isObject(item) || !isText(item.id, LENGTH_LIMITS.itemId)) issues.push(`item.id: 应为不超过${LENGTH_LIMITS.itemId}字的事项编号`);
    else {
      if (item.title !== undefined && !isText(item.title, LENGTH_LIMITS.title)) issues.push(`item.title: 应为不超过${LENGTH_LIMITS.title}字的文字`);
      if (item.status !== undefined && !ITEM_STATUSES.includes(item.status as never)) issues.push(`item.status: 应为 ${ITEM_STATUSES.join('、')} 之一`);
    }
  }
  if (issues.length) return { issues };
  const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
  const it = item as NonNullable<Command['item']> | undefined;
  return {
    issues,
    value: {
      action: raw.action as string,
      role: raw.role as string,
      actor: trim(raw.actor),
      businessDate: raw.businessDate as string | undefined,
      reason: trim(raw.reason),
      item: it && { id: it.id.trim(), title: trim(it.title), status: it.status },
    },
  };
}
