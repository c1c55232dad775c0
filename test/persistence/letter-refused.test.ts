import { createActivities, LETTER_REFUSED } from '@reform/activities';
import { isPermanentWriteError, LetterCounterEntity, LetterEntity, LedgerStore, LetterStore, PermanentWriteError } from '@reform/persistence';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { letterRequest, OFFICE } from './letter-fixtures';

/** workflow_id is varchar(200) (libs/adapters/persistence migrations). */
const LONG_ID = `plan-${'x'.repeat(200)}`;

/** What the promise was rejected with; undefined if it was fulfilled. */
const rejectionOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe.each(DB_KINDS)('a letter that can never be written, on %s', (kind) => {
  let db: TestDatabase;
  let store: LetterStore;
  beforeEach(async () => {
    db = await testDatabase(kind);
    store = new LetterStore(db.ds);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('is refused before the database is asked, naming the field, and takes no number', async () => {
    const refusal = store.issue(letterRequest(`${LONG_ID}/filing#1/0`, { workflowId: LONG_ID }), OFFICE);
    await expect(refusal).rejects.toBeInstanceOf(PermanentWriteError);
    await expect(refusal).rejects.toThrow('函件的字段 workflowId(workflow_id)长 205 个字符,超过数据库上限 200');
    expect(await db.ds.getRepository(LetterEntity).count()).toBe(0);
    expect(await db.ds.getRepository(LetterCounterEntity).count()).toBe(0);
    // The next letter takes the first number: the refused one left no gap.
    expect((await store.issue(letterRequest('plan-0001/filing#1/0'), OFFICE)).number).toBe('改办函〔2026〕1号');
  });

  it('fails the activity for good (not retried), with the reason in Chinese', async () => {
    const activities = createActivities({ letters: store, ledger: new LedgerStore(db.ds), office: OFFICE });
    const failure = await rejectionOf(new MockActivityEnvironment().run(activities.issueLetter, letterRequest(`${LONG_ID}/filing#1/0`, { workflowId: LONG_ID })));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: LETTER_REFUSED, nonRetryable: true, message: expect.stringContaining('超过数据库上限 200') });
  });

  it('tells a transient error (retried) from a refusal of the data (not retried)', async () => {
    const refusedByDb = await rejectionOf(db.ds.query(`INSERT INTO letter_counters (number_prefix, year, last) VALUES (NULL, 2026, 1)`));
    expect(refusedByDb).toBeDefined();
    expect(isPermanentWriteError(refusedByDb)).toBe(true);
    expect(isPermanentWriteError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentWriteError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(false);
    expect(isPermanentWriteError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });
});

describe('PostgreSQL itself refusing a value too long', () => {
  it('is a permanent failure (22001)', async () => {
    const db = await testDatabase('postgres');
    try {
      const tooLong = await rejectionOf(db.ds.query(`INSERT INTO letter_counters (number_prefix, year, last) VALUES ($1, 2026, 1)`, ['改'.repeat(51)]));
      expect((tooLong as { driverError?: { code?: string } }).driverError?.code ?? (tooLong as { code?: string }).code).toBe('22001');
      expect(isPermanentWriteError(tooLong)).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
