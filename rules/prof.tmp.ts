import { compileHolidays } from './src/holidays';
const text = 'x 1\n'.repeat(2 * 1024 * 1024);
let t = Date.now();
compileHolidays(text);
console.log('nonsense', Date.now() - t);
const t2 = '年份 2026\n依据 "x"\n' + '节假日 年 1月1日 至 12月31日\n'.repeat(200_000);
t = Date.now();
compileHolidays(t2);
console.log('holidays', Date.now() - t);
