import { AuditEntry, AuditEntryEntity, AuditStore, LetterCounterEntity, LetterEntity, LetterStore, openDatabase } from '@reform/persistence';
import type { DataSource } from 'typeorm';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { sha256, swapSeq, tamper, ZEROS } from './audit-fixtures';
import { letterRequest, OFFICE } from './letter-fixtures';

/** A person's act, with every field filled in. */
const PERSON_ACT: AuditEntry = {
  action: 'plan.act',
  actorUserId: 'user-7',
  actorName: '王五',
  actorUnitId: 'unit-sc-fgw',
  targetType: 'plan',
  targetId: 'plan-0001',
  before: { stage: 'drafting' },
  after: { stage: 'legality_review', action: 'submit', items: [3, 1, 2], meta: { z: true, a: null } },
  requestId: 'req-1',
  at: new Date('2026-03-10T01:02:03.004Z'),
};

/** The engine's act: no actor, no before, no request. */
const ENGINE_ACT: AuditEntry = {
  action: 'letter.issued',
  targetType: 'letter',
  targetId: 'L-1',
  after: { number: '改办函〔2026〕1号' },
  at: new Date('2026-03-10T01:02:04.000Z'),
};

/** n simple rows, one second apart. */
function acts(n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => ({ action: 'item.status', actorUserId: `user-${i}`, actorName: `经办人${i}`, targetType: 'item', targetId: `item-${i + 1}`, after: { status: 'started' }, at: new Date(Date.UTC(2026, 2, 10, 1, 0, i)) }));
}

describe.each(DB_KINDS)('AuditStore on %s', (kind) => {
  let db: TestDatabase;
  let store: AuditStore;
  beforeEach(async () => {
    db = await testDatabase(kind);
    store = new AuditStore(db.ds);
  });
  afterEach(async () => {
    await db.drop();
  });

  const rowCount = () => db.ds.getRepository(AuditEntryEntity).count();

  async function appendAll(entries: AuditEntry[]) {
    const rows = [];
    for (const e of entries) rows.push(await store.append(e));
    return rows;
  }

  it('verifies an empty trail: nothing checked, the head is the genesis hash', async () => {
    expect(await store.verify()).toEqual({ ok: true, rowsChecked: 0, headSeq: 0, headHash: ZEROS, broken: null });
  });

  it('hashes each row as SHA-256 of its canonical JSON with the previous row’s hash, and verifies the chain', async () => {
    const first = await store.append(PERSON_ACT);
    const second = await store.append(ENGINE_ACT);

    // The canonical JSON, written out by hand: keys sorted, no whitespace, nulls kept, before/after as their JSON text.
    const afterText = '{"action":"submit","items":[3,1,2],"meta":{"a":null,"z":true},"stage":"legality_review"}';
    const firstText = String.raw`{"action":"plan.act","actorName":"王五","actorUnitId":"unit-sc-fgw","actorUserId":"user-7","after":"{\"action\":\"submit\",\"items\":[3,1,2],\"meta\":{\"a\":null,\"z\":true},\"stage\":\"legality_review\"}","at":"2026-03-10T01:02:03.004Z","before":"{\"stage\":\"drafting\"}","prevHash":"${ZEROS}","requestId":"req-1","seq":1,"targetId":"plan-0001","targetType":"plan"}`;
    expect(first).toEqual({
      seq: 1,
      at: '2026-03-10T01:02:03.004Z',
      actorUserId: 'user-7',
      actorName: '王五',
      actorUnitId: 'unit-sc-fgw',
      action: 'plan.act',
      targetType: 'plan',
      targetId: 'plan-0001',
      before: '{"stage":"drafting"}',
      after: afterText,
      requestId: 'req-1',
      prevHash: ZEROS,
      hash: sha256(firstText),
    });
    const secondText = String.raw`{"action":"letter.issued","actorName":null,"actorUnitId":null,"actorUserId":null,"after":"{\"number\":\"改办函〔2026〕1号\"}","at":"2026-03-10T01:02:04.000Z","before":null,"prevHash":"${first.hash}","requestId":null,"seq":2,"targetId":"L-1","targetType":"letter"}`;
    expect(second).toMatchObject({ seq: 2, actorUserId: null, actorName: null, actorUnitId: null, before: null, prevHash: first.hash, hash: sha256(secondText) });

    // What was stored is what was returned, seq as a number on both databases.
    expect(await store.entries()).toEqual([first, second]);
    expect(await store.head()).toEqual({ id: 1, seq: 2, hash: second.hash });
    expect(await store.verify()).toEqual({ ok: true, rowsChecked: 2, headSeq: 2, headHash: second.hash, broken: null });
  });

  it('walks a long chain in batches and checks every row', async () => {
    const rows = await appendAll(acts(23));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(await store.verify(5)).toEqual({ ok: true, rowsChecked: 23, headSeq: 23, headHash: rows[22].hash, broken: null });
    expect(await store.verify(23)).toMatchObject({ ok: true, rowsChecked: 23 });
    expect(await store.verify(1000)).toMatchObject({ ok: true, rowsChecked: 23 });
  });

  it('refuses action codes that are not dotted lower-case codes, in Chinese, and writes nothing', async () => {
    for (const action of ['Plan.Act', 'plan', 'plan act', '']) {
      await expect(store.append({ ...PERSON_ACT, action })).rejects.toThrow(/审计动作代码「.*」不合规/);
    }
    await expect(store.append({ ...PERSON_ACT, requestId: 'r'.repeat(101) })).rejects.toThrow('审计记录的字段 requestId(request_id)长 101 个字符,超过数据库上限 100');
    expect(await rowCount()).toBe(0);
    expect(await store.head()).toMatchObject({ seq: 0, hash: ZEROS });
  });

  it('the database itself refuses UPDATE and DELETE of a row', async () => {
    const [row] = await appendAll(acts(2));
    await expect(db.ds.query(`UPDATE audit_log SET actor_name = '李四' WHERE seq = 1`)).rejects.toThrow('审计记录只能追加,不能修改');
    await expect(db.ds.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow('审计记录只能追加,不能删除');
    await expect(db.ds.query(`DELETE FROM audit_log`)).rejects.toThrow('审计记录只能追加,不能删除');
    if (kind === 'postgres') await expect(db.ds.query('TRUNCATE audit_log')).rejects.toThrow('审计记录只能追加,不能清空');
    // Through TypeORM as well: it is the database that refuses, whatever the client.
    await expect(db.ds.getRepository(AuditEntryEntity).update({ seq: 1 }, { actorName: '李四' })).rejects.toThrow('审计记录只能追加');
    expect(await rowCount()).toBe(2);
    expect((await store.entries())[0]).toEqual(row);
    expect(await store.verify()).toMatchObject({ ok: true, rowsChecked: 2 });
  });

  it('appends in the caller’s transaction: rolled back with it, leaving no row and no gap in seq', async () => {
    await expect(
      db.ds.transaction(async (m) => {
        await m.getRepository(LetterCounterEntity).insert({ numberPrefix: '改办函', year: 2026, last: 5 });
        await store.append(PERSON_ACT, m);
        throw new Error('the audited change fails after its row was appended');
      }),
    ).rejects.toThrow('the audited change fails');
    expect(await rowCount()).toBe(0);
    expect(await db.ds.getRepository(LetterCounterEntity).count()).toBe(0);

    const committed = await db.ds.transaction(async (m) => {
      await m.getRepository(LetterCounterEntity).insert({ numberPrefix: '改办函', year: 2026, last: 5 });
      return store.append(PERSON_ACT, m);
    });
    expect(committed).toMatchObject({ seq: 1, prevHash: ZEROS });
    expect(await db.ds.getRepository(LetterCounterEntity).count()).toBe(1);
    expect(await store.verify()).toMatchObject({ ok: true, rowsChecked: 1 });

    // A manager outside any transaction would let the change and its row part: refused.
    expect(() => store.append(PERSON_ACT, db.ds.manager)).toThrow('not in a transaction');
  });

  describe('verify catches a trail rewritten by someone with rights on the database', () => {
    let rows: Awaited<ReturnType<typeof appendAll>>;
    beforeEach(async () => {
      rows = await appendAll(acts(6));
    });

    it('a row altered with the triggers off: changed, at its seq', async () => {
      await tamper(db.ds, [`UPDATE audit_log SET after = '{"status":"completed"}' WHERE seq = 4`]);
      expect(await store.verify(2)).toEqual({
        ok: false,
        rowsChecked: 4,
        headSeq: 3,
        headHash: rows[2].hash,
        broken: { seq: 4, kind: 'changed', message: '第 4 条记录的内容与其存储的哈希不符:该条在写入后被改动' },
      });
    });

    it('a row altered in a table re-created without the triggers: changed, at its seq', async () => {
      await db.ds.query('CREATE TABLE audit_copy AS SELECT * FROM audit_log');
      await db.ds.query('DROP TABLE audit_log');
      await db.ds.query('ALTER TABLE audit_copy RENAME TO audit_log');
      await db.ds.query(`UPDATE audit_log SET actor_name = '李四' WHERE seq = 2`);
      expect(await store.verify()).toMatchObject({ ok: false, rowsChecked: 2, headSeq: 1, broken: { seq: 2, kind: 'changed' } });
    });

    it('a deleted row: missing, at its seq', async () => {
      await tamper(db.ds, ['DELETE FROM audit_log WHERE seq = 3']);
      expect(await store.verify()).toEqual({
        ok: false,
        rowsChecked: 3,
        headSeq: 2,
        headHash: rows[1].hash,
        broken: { seq: 3, kind: 'missing', message: '序号从第 2 条跳到第 4 条:第 3 条记录缺失' },
      });
    });

    it('deleted rows renumbered to close the gap: missing, at the first renumbered row', async () => {
      await tamper(db.ds, ['DELETE FROM audit_log WHERE seq = 3', 'UPDATE audit_log SET seq = 3 WHERE seq = 4']);
      expect(await store.verify()).toEqual({
        ok: false,
        rowsChecked: 3,
        headSeq: 2,
        headHash: rows[1].hash,
        broken: { seq: 3, kind: 'missing', message: '第 3 条记录的上一条哈希不是第 2 条的哈希(它指向的记录已不在表中):其间有记录缺失,或第 2 条被改写后重算了哈希' },
      });
    });

    it('the last rows cut off: missing, from the first that is gone', async () => {
      await tamper(db.ds, ['DELETE FROM audit_log WHERE seq >= 5']);
      expect(await store.verify()).toEqual({
        ok: false,
        rowsChecked: 4,
        headSeq: 4,
        headHash: rows[3].hash,
        broken: { seq: 5, kind: 'missing', message: '链头记到第 6 条,表中只到第 4 条:末尾的第 5 至第 6 条记录缺失' },
      });
    });

    it('two rows swapped: reordered, at the first of them', async () => {
      await tamper(db.ds, swapSeq(3, 4));
      expect(await store.verify()).toEqual({
        ok: false,
        rowsChecked: 3,
        headSeq: 2,
        headHash: rows[1].hash,
        broken: { seq: 3, kind: 'reordered', message: '第 3 条记录的上一条哈希指向在它之后的第 4 条:记录的先后顺序被调换' },
      });
    });

    it('a row rewritten with its hash recomputed (the algorithm is no secret): the next row’s link gives it away', async () => {
      const forged = { ...rows[2], after: '{"status":"completed"}' };
      const { auditHash } = await import('@reform/persistence');
      const hash = auditHash(forged);
      await tamper(db.ds, [`UPDATE audit_log SET after = '{"status":"completed"}', hash = '${hash}' WHERE seq = 3`]);
      expect(await store.verify()).toMatchObject({
        ok: false,
        rowsChecked: 4,
        headSeq: 3,
        headHash: hash,
        broken: { seq: 4, kind: 'missing', message: '第 4 条记录的上一条哈希不是第 3 条的哈希(它指向的记录已不在表中):其间有记录缺失,或第 3 条被改写后重算了哈希' },
      });
    });
  });

  it('letters are audited once each, by the engine, in the letter’s own transaction', async () => {
    const letters = new LetterStore(db.ds);
    const req = letterRequest('plan-0001/filing#1/0');
    const results = await Promise.all([...Array.from({ length: 5 }, () => letters.issue(req, OFFICE)), letters.issue(letterRequest('plan-0002/filing#1/0', { workflowId: 'plan-0002', level: 1, kind: 'supervision', limitUntil: '2026-03-20' }), OFFICE)]);
    // A retry that finds its letter: no second row.
    await letters.issue(req, OFFICE);

    const audit = await store.entries();
    expect(audit).toHaveLength(2);
    const stored = await letters.all();
    expect(audit.map((a) => a.targetId).sort()).toEqual(stored.map((l) => l.id).sort());
    const first = audit.find((a) => a.targetId === results[0].letterId);
    expect(first).toMatchObject({ action: 'letter.issued', actorUserId: null, actorName: null, actorUnitId: null, targetType: 'letter', before: null, requestId: null });
    expect(JSON.parse(first!.after!)).toEqual({
      number: '改办函〔2026〕1号',
      kind: 'reminder',
      level: 0,
      addressees: [{ role: 'lead_unit', name: '市发展改革委' }],
      copyTo: [{ role: 'special_group', name: '经济体制改革专项小组' }],
      plan: 'plan-0001',
      procedure: { id: 'reform_plan', version: 1 },
      deadline: 'filing#1',
      issuedOn: '2026-03-10',
      idempotencyKey: 'plan-0001/filing#1/0',
    });
    expect(await store.verify()).toMatchObject({ ok: true, rowsChecked: 2 });
  });

  it('a letter whose audit row cannot be written is not written either, and takes no number', async () => {
    const letters = new LetterStore(db.ds);
    await letters.issue(letterRequest('a'), OFFICE);
    // Someone took the head away: the append fails inside the letter's transaction.
    await db.ds.query('DROP TABLE audit_head');
    await expect(letters.issue(letterRequest('b'), OFFICE)).rejects.toThrow();
    expect((await letters.all()).map((l) => l.idempotencyKey)).toEqual(['a']);
    expect((await db.ds.getRepository(LetterCounterEntity).findOneBy({ numberPrefix: '改办函', year: 2026 }))?.last).toBe(1);
    expect(await db.ds.getRepository(LetterEntity).count()).toBe(1);
    expect(await rowCount()).toBe(1);
  });

  it('concurrent appends and letters keep one unbroken chain, seq 1..n with no gap', async () => {
    // PostgreSQL: separate pools, so the transactions really run in parallel on their own connections.
    // SQLite: one connection per process; the stores on it take turns, letters and plain appends alike.
    const sources: DataSource[] = kind === 'postgres' ? await Promise.all([0, 1, 2].map(() => openDatabase(db.options, false))) : [db.ds];
    try {
      const work = sources.flatMap((ds, s) => {
        const audit = new AuditStore(ds);
        const letters = new LetterStore(ds);
        return Array.from({ length: 8 }, (_, i) =>
          i % 2 === 0
            ? audit.append({ action: 'item.status', targetType: 'item', targetId: `s${s}-i${i}`, after: { status: 'started' } })
            : letters.issue(letterRequest(`plan-s${s}/filing#1/${i}`, { workflowId: `plan-s${s}` }), OFFICE),
        );
      });
      await Promise.all(work);
      const n = sources.length * 8;
      const rows = await store.entries(0, 1000);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      // One chain: every row links to the one before, so no two rows share a predecessor.
      expect(new Set(rows.map((r) => r.prevHash)).size).toBe(n);
      expect(rows.filter((r) => r.action === 'letter.issued')).toHaveLength(n / 2);
      expect(await store.verify(7)).toEqual({ ok: true, rowsChecked: n, headSeq: n, headHash: rows[n - 1].hash, broken: null });
    } finally {
      if (kind === 'postgres') await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });
});
