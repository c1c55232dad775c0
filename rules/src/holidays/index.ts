// Explicit names only: this folder shares `@reform/rules` with the rules language.
export { HOLIDAY_KEYWORDS, parseHolidays } from './parse-holidays';
export type { CommentLine, DateLiteral, HolidayFile, HolidayFileItem, HolidayStatement, HolidayStatementNode, MakeupStatement, SourceStatement, YearStatement } from './parse-holidays';
export { checkHolidays, compileHolidays, makeupName } from './check-holidays';
export { formatHolidays, printHolidayFile, printHolidayYear } from './format-holidays';
