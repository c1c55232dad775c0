import { renderLetter } from '@reform/letters';
import type { IssuedLetter } from '@reform/letters';
import { LetterCounterEntity, LetterEntity, LetterStore } from '@reform/persistence';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { letterRequest, OFFICE, OTHER_OFFICE } from './letter-fixtures';

describe.each(DB_KINDS)('LetterStore on %s', (kind) => {
  let db: TestDatabase;
  let store: LetterStore;
  beforeEach(async () => {
    db = await testDatabase(kind);
    store = new LetterStore(db.ds);
  });
  afterEach(async () => {
    await db.drop();
  });

  /** Runs the calls at once; fails listing every rejection, so a concurrency bug shows its cause. */
  async function allIssued(calls: Array<Promise<IssuedLetter & { created: boolean }>>): Promise<Array<IssuedLetter & { created: boolean }>> {
    const settled = await Promise.allSettled(calls);
    const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [`#${i}: ${s.reason instanceof Error ? s.reason.message : String(s.reason)}`] : []));
    expect(failures).toEqual([]);
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  const rowCount = () => db.ds.getRepository(LetterEntity).count();
  const counter = async (numberPrefix: string, year: number) =>
    (await db.ds.getRepository(LetterCounterEntity).findOneBy({ numberPrefix, year }))?.last;

  it('creates the first letter with number 改办函〔2026〕1号', async () => {
    const issued = await store.issue(letterRequest('plan-0001/filing#1/0'), OFFICE, new Date('2026-03-10T01:00:00Z'));
    expect(issued.created).toBe(true);
    expect(issued.number).toBe('改办函〔2026〕1号');
    expect(issued.letterId).toMatch(/^[0-9a-f-]{36}$/);
    const row = await store.findByKey('plan-0001/filing#1/0');
    expect(row).toMatchObject({
      id: issued.letterId,
      number: '改办函〔2026〕1号',
      numberPrefix: '改办函',
      year: 2026,
      serial: 1,
      kind: 'reminder',
      workflowId: 'plan-0001',
      procedureId: 'reform_plan',
      procedureVersion: 1,
      deadlineKey: 'filing#1',
      deadlineId: 'filing',
      level: 0,
      dueDate: '2026-03-05',
      limitDate: null,
      ruleId: 'Y9',
      deadlineRuleId: 'A9',
      issuedOn: '2026-03-10',
      createdAt: '2026-03-10T01:00:00.000Z',
    });
    expect(await counter('改办函', 2026)).toBe(1);
  });

  it('returns the same letter for a repeated key and takes no number', async () => {
    const req = letterRequest('plan-0001/filing#1/0');
    const first = await store.issue(req, OFFICE);
    const again = await store.issue(req, OFFICE);
    expect(again).toEqual({ letterId: first.letterId, number: first.number, created: false });
    expect(await rowCount()).toBe(1);
    expect(await counter('改办函', 2026)).toBe(1);

    // Even a retry whose content differs (e.g. rendered on a later day) is still the one letter.
    const retryLater = await store.issue(letterRequest('plan-0001/filing#1/0', { issuedOn: '2026-03-11' }), OFFICE);
    expect(retryLater).toEqual({ letterId: first.letterId, number: '改办函〔2026〕1号', created: false });

    const next = await store.issue(letterRequest('plan-0001/filing#1/1', { kind: 'supervision', level: 1, limitUntil: '2026-03-20' }), OFFICE);
    expect(next.created).toBe(true);
    expect(next.number).toBe('改办函〔2026〕2号');
    expect(await rowCount()).toBe(2);
  });

  it('restarts numbers at 1 each year', async () => {
    expect((await store.issue(letterRequest('a', { issuedOn: '2026-12-30' }), OFFICE)).number).toBe('改办函〔2026〕1号');
    expect((await store.issue(letterRequest('b', { issuedOn: '2026-12-31' }), OFFICE)).number).toBe('改办函〔2026〕2号');
    expect((await store.issue(letterRequest('c', { issuedOn: '2027-01-04' }), OFFICE)).number).toBe('改办函〔2027〕1号');
    expect((await store.issue(letterRequest('d', { issuedOn: '2026-12-31' }), OFFICE)).number).toBe('改办函〔2026〕3号');
    expect((await store.issue(letterRequest('e', { issuedOn: '2027-01-05' }), OFFICE)).number).toBe('改办函〔2027〕2号');
    const row = await store.byNumber('改办函〔2027〕1号');
    expect(row).toMatchObject({ idempotencyKey: 'c', year: 2027, serial: 1 });
  });

  it('keeps a separate counter per prefix', async () => {
    expect((await store.issue(letterRequest('a'), OFFICE)).number).toBe('改办函〔2026〕1号');
    expect((await store.issue(letterRequest('b'), OTHER_OFFICE)).number).toBe('改办督〔2026〕1号');
    expect((await store.issue(letterRequest('c'), OFFICE)).number).toBe('改办函〔2026〕2号');
    expect((await store.issue(letterRequest('d'), OTHER_OFFICE)).number).toBe('改办督〔2026〕2号');
    expect(await counter('改办函', 2026)).toBe(2);
    expect(await counter('改办督', 2026)).toBe(2);
  });

  it('stores the Chinese subject and body with the number in it', async () => {
    const req = letterRequest('plan-0001/filing#1/1', { kind: 'supervision', level: 1, limitUntil: '2026-03-20' });
    const issued = await store.issue(req, OFFICE);
    const row = await store.findByKey(req.idempotencyKey);
    if (!row) throw new Error('letter not stored');
    const expected = renderLetter(req, OFFICE, issued.number);
    expect(row.subject).toBe('关于《关于深化营商环境改革的实施方案》备案的督办函');
    expect(row.subject).toBe(expected.subject);
    expect(row.body).toBe(expected.body);
    expect(row.body).toContain('督办函');
    expect(row.body).toContain('改办函〔2026〕1号');
    expect(row.body).toContain('市发展改革委');
    expect(row.body).toContain('2026年3月20日');
    expect(row.body).toContain('抄送:经济体制改革专项小组');
    expect(row.body).toContain(OFFICE.name);
    expect(row.limitDate).toBe('2026-03-20');
    expect(JSON.parse(row.addressees)).toEqual(req.to);
    expect(JSON.parse(row.copyTo)).toEqual(req.cc);
  });

  it('writes exactly one letter for 10 concurrent calls with the same key', async () => {
    const req = letterRequest('plan-0001/filing#1/0');
    const results = await allIssued(Array.from({ length: 10 }, () => store.issue(req, OFFICE)));
    expect(new Set(results.map((r) => r.letterId)).size).toBe(1);
    expect(new Set(results.map((r) => r.number))).toEqual(new Set(['改办函〔2026〕1号']));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await rowCount()).toBe(1);
    const row = await store.findByKey(req.idempotencyKey);
    expect(row?.id).toBe(results[0].letterId);
    // The losers' numbers were rolled back: the next letter is 2, not 11.
    expect(await counter('改办函', 2026)).toBe(1);
    expect((await store.issue(letterRequest('other'), OFFICE)).number).toBe('改办函〔2026〕2号');
  });

  it('numbers 20 concurrent different letters 1..20 with no gaps or duplicates', async () => {
    const results = await allIssued(Array.from({ length: 20 }, (_, i) => store.issue(letterRequest(`plan-${i}/filing#1/0`, { workflowId: `plan-${i}` }), OFFICE)));
    expect(results.every((r) => r.created)).toBe(true);
    const rows = await store.all();
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.serial)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.number)).size).toBe(20);
    expect(new Set(rows.map((r) => r.number))).toEqual(new Set(results.map((r) => r.number)));
    for (const row of rows) {
      expect(row.number).toBe(`改办函〔2026〕${row.serial}号`);
      expect(row.body).toContain(row.number);
      // Each caller got back the number stored for its own key.
      expect(results[Number(row.workflowId.slice('plan-'.length))]).toEqual({ letterId: row.id, number: row.number, created: true });
    }
    expect(await counter('改办函', 2026)).toBe(20);
  });

  it('keeps numbering correctly after concurrent calls, whatever became of them', async () => {
    // Two letters due at the same moment (the worker runs activities concurrently).
    const settled = await Promise.allSettled([store.issue(letterRequest('a'), OFFICE), store.issue(letterRequest('b'), OFFICE)]);
    // Whatever happened, the stored letters and the counter must agree, so the next letter can be numbered.
    const stored = await store.all();
    expect(await counter('改办函', 2026)).toBe(stored.length);
    const next = await store.issue(letterRequest('c'), OFFICE);
    expect(next.number).toBe(`改办函〔2026〕${stored.length + 1}号`);
    // And a caller is told of failure only if its letter really was not written.
    settled.forEach((s, i) => {
      const key = ['a', 'b'][i];
      const row = stored.find((r) => r.idempotencyKey === key);
      if (s.status === 'fulfilled') expect(s.value).toEqual({ letterId: row?.id, number: row?.number, created: true });
      else expect(row).toBeUndefined();
    });
  });

  it('lists a workflow’s letters in number order and finds one by number', async () => {
    await store.issue(letterRequest('w1/a', { workflowId: 'w1', issuedOn: '2027-01-04' }), OFFICE);
    await store.issue(letterRequest('w2/a', { workflowId: 'w2' }), OFFICE);
    await store.issue(letterRequest('w1/b', { workflowId: 'w1' }), OFFICE);
    for (let i = 0; i < 9; i++) await store.issue(letterRequest(`w2/x${i}`, { workflowId: 'w2' }), OFFICE);
    await store.issue(letterRequest('w1/c', { workflowId: 'w1' }), OFFICE);

    const w1 = await store.forWorkflow('w1');
    // 2026〕2号, 2026〕12号, then 2027〕1号: by year and serial, not by text (where "12" < "2").
    expect(w1.map((r) => r.number)).toEqual(['改办函〔2026〕2号', '改办函〔2026〕12号', '改办函〔2027〕1号']);
    expect(w1.map((r) => r.idempotencyKey)).toEqual(['w1/b', 'w1/c', 'w1/a']);
    expect(await store.forWorkflow('nobody')).toEqual([]);

    const found = await store.byNumber('改办函〔2026〕12号');
    expect(found).toMatchObject({ idempotencyKey: 'w1/c', workflowId: 'w1', serial: 12 });
    expect(await store.byNumber('改办函〔2026〕99号')).toBeNull();
  });
});
