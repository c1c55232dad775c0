import { checkHolidayYear } from './holiday-calendar';
import { HolidayYearSchema } from './schemas';
import { SHIPPED_HOLIDAYS } from './standard-calendar';

describe('the shipped holiday arrangements', () => {
  it.each(SHIPPED_HOLIDAYS.years.map((y) => [y.year, y]))('%i is valid data', (_year, y) => {
    expect(HolidayYearSchema.parse(y)).toEqual(y);
    expect(checkHolidayYear(y)).toEqual([]);
  });
});
