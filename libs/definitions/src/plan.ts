import { HolidayCalendarSchema, isLocalDate } from '@reform/calendar';
import { z } from 'zod';
import { ProcessDefinitionSchema } from './definition';
import { ITEM_STATUSES } from './model';

export const LocalDateSchema = z.string().refine(isLocalDate, { message: '日期应为 YYYY-MM-DD 格式的真实日期' });

/** Who answers for a task (A4, H4): every plan names them at registration. */
export const PlanSchema = z.object({
  title: z.string().trim().min(1, '方案名称不能为空').max(200),
  leadUnit: z.string().trim().min(1, '须写明牵头单位'),
  participatingUnits: z.array(z.string().trim().min(1)).default([]),
  responsibleLeader: z.string().trim().min(1, '须写明责任领导'),
  responsiblePerson: z.string().trim().min(1, '须写明责任人'),
  specialGroup: z.string().trim().min(1, '须写明所属专项小组'),
  goals: z.array(z.string().trim().min(1)).default([]),
});
export type Plan = z.infer<typeof PlanSchema>;

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
});
export type StartInput = z.infer<typeof StartInputSchema>;
export type StartInputData = z.input<typeof StartInputSchema>;

export const ItemStatusSchema = z.enum(ITEM_STATUSES);

/** One action taken by a role: the payload of the engine's update. */
export const CommandSchema = z.object({
  action: z.string().min(1),
  role: z.string().min(1),
  actor: z.string().trim().max(100).optional(),
  /** The day it happened in the world; defaults to today (Asia/Shanghai). */
  businessDate: LocalDateSchema.optional(),
  reason: z.string().trim().max(2000).optional(),
  item: z
    .object({
      id: z.string().trim().min(1).max(50),
      title: z.string().trim().min(1).max(200).optional(),
      status: ItemStatusSchema.optional(),
    })
    .optional(),
});
export type Command = z.infer<typeof CommandSchema>;
