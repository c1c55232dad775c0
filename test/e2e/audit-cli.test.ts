import { AuditStore, LetterStore } from '@reform/persistence';
import { dirname } from 'node:path';
import { tamper } from '../persistence/audit-fixtures';
import { letterRequest, OFFICE } from '../persistence/letter-fixtures';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { reform } from './cli';

// `reform audit verify` as an operator runs it, over a real database; it needs no Temporal server.
describe.each(DB_KINDS)('reform audit verify on %s', (kind) => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    db = await testDatabase(kind);
    // SQLite: the CLI's default file, reform.db in REFORM_DATA_DIR; PostgreSQL: DATABASE_URL.
    env = kind === 'postgres' ? { DATABASE_URL: db.options.url } : { REFORM_DATA_DIR: dirname(db.options.sqlitePath), DATABASE_URL: undefined };
    const audit = new AuditStore(db.ds);
    await audit.append({ action: 'plan.act', actorUserId: 'user-7', actorName: '王五', actorUnitId: 'unit-1', targetType: 'plan', targetId: 'plan-0001', before: { stage: 'drafting' }, after: { stage: 'legality_review' }, requestId: 'req-1' });
    await new LetterStore(db.ds).issue(letterRequest('plan-0001/filing#1/0'), OFFICE);
    await audit.append({ action: 'auth.login', actorUserId: 'user-7', actorName: '王五', actorUnitId: 'unit-1', targetType: 'user', targetId: 'user-7' });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('reports an intact chain: rows checked and the head hash, exit 0; --json gives the same as data', async () => {
    const head = (await new AuditStore(db.ds).entries(2, 1))[0];
    const r = reform(['audit', 'verify'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`审计链完好:已核验 3 条记录。\n链头:第 3 条,哈希 ${head.hash}\n`);
    expect(r.status).toBe(0);

    const json = reform(['audit', 'verify', '--json'], env);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, rowsChecked: 3, headSeq: 3, headHash: head.hash, broken: null });
  });

  it('reports the first broken row and how it broke, in Chinese, exit 1', async () => {
    const [first] = await new AuditStore(db.ds).entries(0, 1);
    // The letter's row (seq 2) rewritten to name another number.
    await tamper(db.ds, [`UPDATE audit_log SET after = '{"number":"改办函〔2026〕99号"}' WHERE seq = 2`]);
    const r = reform(['audit', 'verify'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      '审计链断裂:第 2 条记录被改动。',
      '第 2 条记录的内容与其存储的哈希不符:该条在写入后被改动',
      `已核验 2 条;断点之前完好的最后一条:第 1 条,哈希 ${first.hash}`,
      '',
    ]);
    expect(r.status).toBe(1);

    const json = reform(['audit', 'verify', '--json'], env);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, rowsChecked: 2, headSeq: 1, headHash: first.hash, broken: { seq: 2, kind: 'changed' } });
  });

  it('a deleted row reads as missing, with no stack trace, exit 1', async () => {
    await tamper(db.ds, ['DELETE FROM audit_log WHERE seq = 2']);
    const r = reform(['audit', 'verify'], env);
    expect(r.stdout).toContain('审计链断裂:第 2 条记录缺失。\n序号从第 1 条跳到第 3 条:第 2 条记录缺失\n');
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
  });
});
