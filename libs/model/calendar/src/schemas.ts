import { z } from 'zod';
import { DURATION_UNITS, Duration, MonthDay } from './duration';
import { HolidayCalendar, HolidayYear } from './holiday-calendar';
import { daysInMonth, isLocalDate } from './local-date';

/**
 * The shapes of calendar data where it enters the system (rules, loaded holiday files, the
 * service boundary). Kept apart from the pure date code so the workflow bundle needs no zod.
 */
export const DurationSchema = z.object({
  amount: z.number().int().min(0).max(100_000),
  unit: z.enum(DURATION_UNITS),
}) satisfies z.ZodType<Duration>;

export const MonthDaySchema = z
  .object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) })
  .refine((d) => d.day <= daysInMonth(2000, d.month), { message: '该月没有这一天', path: ['day'] }) satisfies z.ZodType<MonthDay>;

const localDate = z.string().refine(isLocalDate, { message: '日期格式应为 YYYY-MM-DD 且为真实日期' });

export const HolidayYearSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  source: z.string().min(1),
  holidays: z.array(z.object({ name: z.string().min(1), from: localDate, to: localDate })),
  workdays: z.array(z.object({ name: z.string().min(1), date: localDate })),
}) satisfies z.ZodType<HolidayYear>;

export const HolidayCalendarSchema = z.object({ years: z.array(HolidayYearSchema) }) satisfies z.ZodType<HolidayCalendar>;
