import { DurationSchema, MonthDaySchema } from '@reform/calendar';
import { z } from 'zod';
import { LENGTH_LIMITS } from './limits';
import { Condition } from './condition';
import { LETTER_KINDS } from './model';

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ attr: z.string().min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
  ]),
);

/**
 * The process-definition model: a serializable, versioned description of a procedure.
 * The rules language compiles to it; the engine runs it. Every rule carries its source id
 * (A9 = Anhui item 9, S1 = Sichuan topic 1, …) so users see where an obligation comes from.
 */
export const RuleIdSchema = z.string().regex(/^[AHSWY][0-9]{1,2}$/, '来源编号应形如 A9、S1、Y9');
const Id = z
  .string()
  .max(LENGTH_LIMITS.id, `标识最长 ${LENGTH_LIMITS.id} 个字符`)
  .regex(/^[a-z][a-z0-9_]*$/, '标识应为小写字母、数字和下划线,以字母开头');
const Label = z.string().min(1);

/** Who a letter to this role is addressed to: a party named on the plan, or a fixed name. */
export const AddresseeSchema = z.union([
  z.object({ plan: z.enum(['leadUnit', 'participatingUnits', 'specialGroup']) }).strict(),
  z.object({ name: Label }).strict(),
]);
export const RoleSchema = z.object({ id: Id, label: Label, addressee: AddresseeSchema.optional() });
export const AttributeSchema = z.object({ id: Id, label: Label });
export const EventSchema = z.object({ id: Id, label: Label });

export const LetterKindSchema = z.enum(LETTER_KINDS);

/** When a ladder level fires. */
export const LadderTriggerSchema = z.discriminatedUnion('type', [
  /** A set time before the due date begins (e.g. 5 working days before). */
  z.object({ type: z.literal('beforeDue'), offset: DurationSchema }),
  /** When the due date has ended (midnight, Asia/Shanghai). */
  z.object({ type: z.literal('dueEnded') }),
  /** When the limit set by the previous letter has ended. */
  z.object({ type: z.literal('previousLimitEnded') }),
]);

export const LadderLevelSchema = z.object({
  kind: LetterKindSchema,
  trigger: LadderTriggerSchema,
  to: z.array(Id).min(1),
  cc: z.array(Id).default([]),
  /** The further time limit the letter sets, counted from the day it is issued. */
  limit: DurationSchema.optional(),
  source: RuleIdSchema,
});

export const DeadlineSchema = z
  .object({
    id: Id,
    label: Label,
    source: RuleIdSchema,
    /** The business event the deadline counts from, and optionally a time after it to start counting (S3: plans issued over half a year ago). */
    from: z.object({ event: Id, after: DurationSchema.optional() }),
    /** Due a duration after the event … */
    within: DurationSchema.optional(),
    /** … or on the next such calendar date after it (e.g. { month: 6, day: 30 }). */
    byDate: MonthDaySchema.optional(),
    /** The business event that meets it. */
    metBy: z.object({ event: Id }),
    /** Applies only to plans for which this holds. */
    when: ConditionSchema.optional(),
    /** A cadence: after each occurrence is met, the next falls due `every` later. */
    repeat: z.object({ every: DurationSchema }).optional(),
    ladder: z.array(LadderLevelSchema),
  })
  .refine((d) => !d.within !== !d.byDate, { message: '时限须写明 within(期限)或 byDate(日历日期)之一,且只写一个', path: ['within'] });

/** The office's own wording for a kind of letter: subject and paragraphs with {placeholders}. */
export const LetterTemplateSchema = z.object({
  kind: LetterKindSchema,
  subject: z.string().min(1).optional(),
  paragraphs: z.array(z.string().min(1)).min(1),
  source: RuleIdSchema.optional(),
});

export const ActionSchema = z.object({
  id: Id,
  label: Label,
  /** Roles that may take it. */
  roles: z.array(Id).min(1),
  /** The stage it leads to; absent means the plan stays where it is. */
  to: Id.optional(),
  /** Business events it records, with the action's business date. */
  records: z.array(Id).default([]),
  /** A reason must be given (rejections). */
  needsReason: z.boolean().default(false),
  /** Changes a specific reform item (S2). */
  item: z.enum(['upsert']).optional(),
  /** Only when every specific reform item is completed (S2). */
  needsAllItemsCompleted: z.boolean().default(false),
  /** Only when these events have been recorded. */
  needsEvents: z.array(Id).default([]),
  /** Offered only to plans for which this holds (S3: monthly reports of selected major plans). */
  when: ConditionSchema.optional(),
  source: RuleIdSchema.optional(),
});

export const StageSchema = z.object({
  id: Id,
  label: Label,
  source: RuleIdSchema.optional(),
  /** The stage applies only when this holds; otherwise it is skipped. */
  when: ConditionSchema.optional(),
  /** Stages that must be completed (or not apply) before this one is entered. */
  requires: z.array(Id).default([]),
  /** Where the plan goes when this stage does not apply; defaults to the next stage listed. */
  skipTo: Id.optional(),
  actions: z.array(ActionSchema).default([]),
  final: z.boolean().default(false),
});

// ---- Lights (issue 9 §4).
/**
 * When the ledger shows the procedure's plans and items yellow (the rules' 亮灯 declarations):
 * due within `dueSoon`, or behind their planned progress by `behindPoints` percentage points.
 * Red (overdue) is not configurable. A threshold that is absent lights nothing yellow.
 */
export const LightsSchema = z
  .object({
    dueSoon: z.object({ within: DurationSchema, source: RuleIdSchema }).strict().optional(),
    behind: z.object({ points: z.number().int().min(1).max(100), source: RuleIdSchema }).strict().optional(),
  })
  .strict();
export type Lights = z.infer<typeof LightsSchema>;
// ---- end of lights.

export const ProcessDefinitionSchema = z.object({
  id: Id,
  version: z.number().int().min(1),
  title: Label.max(LENGTH_LIMITS.title, `流程名称最长 ${LENGTH_LIMITS.title} 个字`),
  source: RuleIdSchema,
  roles: z.array(RoleSchema).min(1),
  attributes: z.array(AttributeSchema).default([]),
  events: z.array(EventSchema).default([]),
  /** Events the start of an instance may carry with their business date (e.g. the central plan's issue date). */
  startEvents: z.array(Id).default([]),
  stages: z.array(StageSchema).min(1),
  deadlines: z.array(DeadlineSchema).default([]),
  /** Wording of letters by kind; a kind without one is written in the standard wording. */
  letterTemplates: z.array(LetterTemplateSchema).optional(),
  /** The ledger's light thresholds (亮灯); absent when the rules declare none. */
  lights: LightsSchema.optional(),
});

export type Role = z.infer<typeof RoleSchema>;
export type Addressee = z.infer<typeof AddresseeSchema>;
export type LadderTrigger = z.infer<typeof LadderTriggerSchema>;
export type LadderLevel = z.infer<typeof LadderLevelSchema>;
export type Deadline = z.infer<typeof DeadlineSchema>;
export type LetterTemplate = z.infer<typeof LetterTemplateSchema>;
export type Action = z.infer<typeof ActionSchema>;
export type Stage = z.infer<typeof StageSchema>;
export type ProcessDefinition = z.infer<typeof ProcessDefinitionSchema>;
export type ProcessDefinitionInput = z.input<typeof ProcessDefinitionSchema>;
