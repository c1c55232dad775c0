import { CalendarError, CalendarStore, publishedMarks } from '@reform/persistence';
import { DB_KINDS, testDatabase, TestDatabase } from '../support/db';

const YEAR_2027 = {
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知',
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
  workdays: [{ name: '元旦调休', date: '2027-01-09' }],
};

describe.each(DB_KINDS)('CalendarStore on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await testDatabase(kind);
  });
  afterEach(() => db.drop());

  it('adds loaded years to the shipped ones, and replaces a year loaded again', async () => {
    const store = new CalendarStore(db.ds);
    expect((await store.calendar()).years.map((y) => y.year)).toEqual([2026]);
    expect(await store.load(YEAR_2027)).toEqual({ year: 2027, replaced: false });
    expect((await store.calendar()).years.map((y) => y.year)).toEqual([2026, 2027]);

    const corrected = { ...YEAR_2027, workdays: [{ name: '元旦调休', date: '2027-01-10' }] };
    expect(await store.load(corrected)).toEqual({ year: 2027, replaced: true });
    expect((await store.calendar()).years[1].workdays).toEqual([{ name: '元旦调休', date: '2027-01-10' }]);
  });

  it('refuses a wrong year with every problem and its place, and stores nothing', async () => {
    const store = new CalendarStore(db.ds);
    const bad = { ...YEAR_2027, holidays: [...YEAR_2027.holidays, { name: '元旦', from: '2027-01-03', to: '2027-01-03' }], workdays: [{ name: '调休', date: '2028-01-08' }] };
    const error = await store.load(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).issues).toEqual([
      { path: 'holidays[1]', message: '2027-01-03 重复出现(首次见于 holidays[0])' },
      { path: 'workdays[0]', message: '2028-01-08 不在 2027 年内' },
    ]);
    await expect(store.load({ ...YEAR_2027, holidays: [{ name: '元旦', from: '2027-02-30', to: '2027-03-01' }] })).rejects.toThrow('holidays[0].from');
    expect((await store.calendar()).years.map((y) => y.year)).toEqual([2026]);
  });
  it('keeps one value while nothing is loaded, and sees a year another process loads at the next read', async () => {
    const api = new CalendarStore(db.ds);
    const cli = new CalendarStore(db.ds);
    const first = await api.calendar();
    expect(await api.calendar()).toBe(first);
    expect(await api.calendar((await publishedMarks(db.ds)).calendar)).toBe(first);

    await cli.load(YEAR_2027);
    const after = await api.calendar();
    expect(after).not.toBe(first);
    expect(after.years.map((y) => y.year)).toEqual([2026, 2027]);
    // The mark publishedMarks reads in its one statement is the store's own: the lights' cache keys on it.
    expect(await api.calendar((await publishedMarks(db.ds)).calendar)).toBe(after);
  });
});
