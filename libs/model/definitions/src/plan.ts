import { HolidayCalendarSchema, isLocalDate } from '@reform/calendar';
import type { PlanScope } from '@reform/platform';
import { z } from 'zod';
import { ProcessDefinitionSchema } from './definition';
import { LENGTH_LIMITS } from './limits';
import { ITEM_STATUSES, REGION_PATH } from './model';

export const LocalDateSchema = z.string().refine(isLocalDate, { message: '日期应为 YYYY-MM-DD 格式的真实日期' });

const name = (what: string) => z.string().trim().min(1, `须写明${what}`).max(LENGTH_LIMITS.name, `${what}最长 ${LENGTH_LIMITS.name} 个字`);

const unitId = (what: string) =>
  z.string().trim().min(1, `须写明${what}编号`).max(LENGTH_LIMITS.unitId, `${what}编号最长 ${LENGTH_LIMITS.unitId} 个字符`);

/**
 * The units a plan belongs to, as ids of the unit directory (PlanScope in @reform/platform): what
 * the ledger filters and scopes on. Optional: plans registered without it (the CLI's, and every
 * plan before it) have no unit ids and are reachable only by their id.
 */
export const PlanScopeSchema = z
  .object({
    regionPath: z
      .string()
      .max(LENGTH_LIMITS.regionPath, `地区路径最长 ${LENGTH_LIMITS.regionPath} 个字符`)
      .regex(REGION_PATH, '地区路径应形如 /sc/cd/(以斜杠开头和结尾,各级编号不含空白)'),
    leadUnitId: unitId('牵头单位'),
    specialGroupId: unitId('专项小组').optional(),
    participatingUnitIds: z.array(unitId('参与单位')).default([]),
  });

/** Who answers for a task (A4, H4): every plan names them at registration. */
export const PlanSchema = z.object({
  title: z.string().trim().min(1, '方案名称不能为空').max(LENGTH_LIMITS.title, `方案名称最长 ${LENGTH_LIMITS.title} 个字`),
  leadUnit: name('牵头单位'),
  participatingUnits: z.array(name('参与单位')).default([]),
  responsibleLeader: name('责任领导'),
  responsiblePerson: name('责任人'),
  specialGroup: name('所属专项小组'),
  goals: z.array(z.string().trim().min(1).max(LENGTH_LIMITS.goal, `每项目标最长 ${LENGTH_LIMITS.goal} 个字`)).default([]),
  scope: PlanScopeSchema.optional(),
});

/** A plan's id as an office may choose it (it becomes the workflow id and part of every letter's key). */
export const PlanIdSchema = z
  .string()
  .min(1, '方案编号不能为空')
  .max(LENGTH_LIMITS.planId, `方案编号最长 ${LENGTH_LIMITS.planId} 个字符`)
  .regex(/^[^\s/]+$/, '方案编号不能含空白或斜杠');
export type Plan = z.infer<typeof PlanSchema>;
// The scope a plan carries is the platform's PlanScope, field for field.
type SameScope<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const scopeIsPlanScope: SameScope<z.infer<typeof PlanScopeSchema>, PlanScope> = true;
void scopeIsPlanScope;

export const StartInputSchema = z.object({
  definition: ProcessDefinitionSchema,
  calendar: HolidayCalendarSchema,
  plan: PlanSchema,
  attributes: z.record(z.string(), z.boolean()).default({}),
  /** Business date of registration, and of any start events the definition allows. */
  registeredOn: LocalDateSchema,
  startEvents: z.record(z.string(), LocalDateSchema).default({}),
  /** Events a run's history may grow to before the plan continues in a new run; the engine's default when absent (tests set it low). */
  historyLimit: z.number().int().min(100).optional(),
  /**
   * The signed-in user who registered the plan: the plan audits its registration with its first
   * ledger write (one transaction), so no crash between the start and the answer loses the row.
   */
  registeredBy: z
    .object({
      userId: z.string().min(1),
      name: z.string().min(1),
      unitId: z.string().min(1).nullable(),
      requestId: z.string().min(1).optional(),
      /**
       * What the desk that registers it keeps beside the workflow (a problem's library row, a
       * round's task): plain JSON values, carried with the registration's audited act to the
       * ledger write, whose desk hook writes the desk's rows from it (DeskLedger in persistence).
       */
      desk: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
export type StartInput = z.infer<typeof StartInputSchema>;
export type StartInputData = z.input<typeof StartInputSchema>;

export const ItemStatusSchema = z.enum(ITEM_STATUSES);

/** One action taken by a role: the payload of the engine's update. */
export const CommandSchema = z.object({
  action: z.string().min(1),
  role: z.string().min(1),
  actor: z.string().trim().max(LENGTH_LIMITS.name, `经办人最长 ${LENGTH_LIMITS.name} 个字`).optional(),
  /** The day it happened in the world; defaults to today (Asia/Shanghai). */
  businessDate: LocalDateSchema.optional(),
  reason: z.string().trim().max(LENGTH_LIMITS.reason, `理由最长 ${LENGTH_LIMITS.reason} 个字`).optional(),
  item: z
    .object({
      id: z.string().trim().min(1, '事项编号不能为空').max(LENGTH_LIMITS.itemId, `事项编号最长 ${LENGTH_LIMITS.itemId} 个字符`),
      title: z.string().trim().min(1, '事项名称不能为空').max(LENGTH_LIMITS.title, `事项名称最长 ${LENGTH_LIMITS.title} 个字`).optional(),
      status: ItemStatusSchema.optional(),
    })
    .optional(),
});
export type Command = z.infer<typeof CommandSchema>;
