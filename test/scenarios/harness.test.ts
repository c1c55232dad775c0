import { addDays, localDateAt, startOfLocalDay } from '@reform/calendar';
import { dateIn, testBaseInstant, yearOf } from '../support/dates';
import { Harness } from '../support/harness';

// The harness must not let a scenario check nothing: its clock only moves forward, and a wait
// that gives up must say so.
describe('the test harness fails loudly', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('travelTo moves the server forward, and throws for a moment that is not after its time', async () => {
    const today = await h.today();
    await h.travelTo(addDays(today, 2), 9 * 60);
    // There, give or take the real seconds the server's clock runs on by itself.
    const late = (await h.env.currentTimeMs()) - (startOfLocalDay(addDays(today, 2)) + 9 * 3_600_000);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(60_000);

    await expect(h.travelTo(addDays(today, 1))).rejects.toThrow(`travelTo ${addDays(today, 1)} 00:00: not after the test server's time ${addDays(today, 2)} 09:00`);
    await expect(h.travelTo(addDays(today, 2), 9 * 60)).rejects.toThrow('not after');
    expect(await h.today()).toBe(addDays(today, 2));
  });

  it('eventually returns the first value that passes, and throws with the last value read once time is up', async () => {
    let reads = 0;
    expect(await h.eventually(async () => ++reads, (n) => n === 3)).toBe(3);

    await expect(h.eventually(async () => ({ letters: ['reminder'] }), (v) => v.letters.length === 2, 300)).rejects.toThrow(
      'eventually: no value passed the check within 300 ms; the last read was {"letters":["reminder"]}',
    );
    const long = 'x'.repeat(5_000);
    const error = await h.eventually(async () => long, () => false, 100).then(() => new Error('no time-out'), (e: Error) => e);
    expect(error.message).toContain(`"${'x'.repeat(100)}`);
    expect(error.message).toContain('… (5002 characters)');
    expect(error.message.length).toBeLessThan(1_000);
  });
});

describe('REFORM_TEST_YEAR runs the scenarios as if today were in that year', () => {
  const saved = process.env.REFORM_TEST_YEAR;
  afterEach(() => {
    if (saved === undefined) delete process.env.REFORM_TEST_YEAR;
    else process.env.REFORM_TEST_YEAR = saved;
  });

  it('reads a year, and refuses anything else with the value it got', () => {
    expect(testBaseInstant({})).toBeUndefined();
    expect(testBaseInstant({ REFORM_TEST_YEAR: '2031' })).toBe(Date.parse('2030-12-31T16:00:00Z'));
    for (const bad of ['31', '2031-01-01', 'next', '1999', '2101']) expect(() => testBaseInstant({ REFORM_TEST_YEAR: bad })).toThrow(`got '${bad}'`);
  });

  it('the harness starts the server at 1 January of that year (Asia/Shanghai)', async () => {
    // Three years after where a fresh server's clock starts in this run: today, or an outer REFORM_TEST_YEAR.
    const year = yearOf(localDateAt(Math.max(testBaseInstant() ?? 0, Date.now()))) + 3;
    process.env.REFORM_TEST_YEAR = String(year);
    const h = await Harness.create();
    try {
      expect(await h.today()).toBe(dateIn(year, 1, 1));
      expect((await h.env.currentTimeMs()) - startOfLocalDay(dateIn(year, 1, 1))).toBeLessThan(60_000);
    } finally {
      await h.close();
    }
  });
});

