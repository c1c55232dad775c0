import cn2026 from './data/cn-2026.json';
import { HolidayCalendar, HolidayYearSchema } from './holiday-calendar';

/**
 * The national holiday arrangements shipped with the product. A reform office loads newer
 * years as they are published; these are only the starting point.
 */
export const SHIPPED_HOLIDAYS: HolidayCalendar = {
  years: [HolidayYearSchema.parse(cn2026)],
};
