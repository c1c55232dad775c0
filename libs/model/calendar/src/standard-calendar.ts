import cn2026 from './data/cn-2026.json';
import { HolidayCalendar, HolidayYear } from './holiday-calendar';

/**
 * The national holiday arrangements shipped with the product. A reform office loads newer
 * years as they are published; these are only the starting point.
 */
export const SHIPPED_HOLIDAYS: HolidayCalendar = {
  // Not parsed at load: this module is in the workflow bundle, where every workflow loads it
  // anew. standard-calendar.spec.ts checks the data against the schema instead.
  years: [cn2026 as HolidayYear],
};
