import { createDataSource, LetterEntity, LetterRow, migrationStatus, MIGRATIONS, openDatabase } from '@reform/persistence';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

/** Every migration in order, with the tables it creates (written here, not read from the migrations). */
const STEPS: Array<{ name: string; tables: string[] }> = [
  { name: 'Initial1732240000000', tables: ['letters', 'letter_counters', 'procedure_definitions'] },
  { name: 'HolidayYears1732250000000', tables: ['holiday_years'] },
  { name: 'Identity1764500000000', tables: ['regions', 'units', 'users', 'refresh_tokens', 'platform_secrets'] },
  { name: 'AuditLog1764510000000', tables: ['audit_log', 'audit_head'] },
  { name: 'Ledger1764520000000', tables: ['ledger_plans', 'ledger_plan_units', 'ledger_deadlines', 'ledger_items'] },
  { name: 'LoginFailures1764530000000', tables: ['login_failures'] },
  { name: 'Items1764540000000', tables: ['item_evidence', 'item_changes'] },
  { name: 'ProcedureSources1764550000000', tables: ['procedure_sources'] },
  { name: 'PlanActAudits1764560000000', tables: ['plan_act_audits'] },
  { name: 'LedgerSortCollation1764570000000', tables: [] },
  { name: 'LetterRecipients1764580000000', tables: ['letter_recipients', 'letter_outbox'] },
  { name: 'Hardening1764590000000', tables: [] },
  { name: 'TaskListImports1764600000000', tables: ['task_list_imports'] },
  { name: 'Problems1764620000000', tables: ['problems'] },
  { name: 'SupervisionRounds1764630000000', tables: ['supervision_rounds', 'supervision_round_plans', 'supervision_round_items'] },
  { name: 'Assessments1764650000000', tables: ['assessment_evaluations', 'assessment_red_list', 'assessments'] },
  { name: 'DeliberationSchedule1764660000000', tables: ['deliberation_meetings', 'deliberation_entries'] },
  { name: 'DeskLedger1764670000000', tables: [] },
  // In timestamp order, as TypeORM runs them (each helper had its own range).
  { name: 'ProblemHandovers1764690000000', tables: ['problem_handovers', 'problem_handover_members'] },
  { name: 'LedgerViews1764700000000', tables: ['ledger_views'] },
];
const ALL = STEPS.map((m) => m.name);

function row(idempotencyKey: string, serial: number): LetterRow {
  return {
    id: randomUUID(),
    idempotencyKey,
    number: `改办函〔2026〕${serial}号`,
    numberPrefix: '改办函',
    year: 2026,
    serial,
    kind: 'reminder',
    workflowId: 'plan-0001',
    procedureId: 'reform_plan',
    procedureVersion: 1,
    deadlineKey: 'filing#1',
    deadlineId: 'filing',
    level: 0,
    addressees: '[]',
    copyTo: '[]',
    subject: '关于备案的提醒函',
    body: '提醒函',
    dueDate: '2026-03-05',
    limitDate: null,
    ruleId: 'Y9',
    deadlineRuleId: 'A9',
    issuedOn: '2026-03-10',
    createdAt: '2026-03-10T01:00:00.000Z',
  };
}

function driverCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
}

/** The codes LetterStore treats as "the key is taken" (letter-store.ts isUniqueViolation). */
const UNIQUE_CODES = ['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'];

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await testDatabase(kind);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('leaves a fresh database with no pending migrations and the initial one applied', async () => {
    expect(MIGRATIONS.map((m) => m.name)).toEqual(ALL);
    const status = await migrationStatus(db.ds);
    expect(status).toEqual({ applied: ALL, pending: [] });
    expect(await db.ds.showMigrations()).toBe(false);
    for (const table of STEPS.flatMap((m) => m.tables)) {
      const runner = db.ds.createQueryRunner();
      try {
        expect(await runner.hasTable(table)).toBe(true);
      } finally {
        await runner.release();
      }
    }
  });

  it('runs nothing new when the database is opened again', async () => {
    const before: Array<{ name: string }> = await db.ds.query('SELECT name FROM migrations');
    expect(before.map((r) => r.name)).toEqual(ALL);

    const again = await openDatabase(db.options);
    try {
      expect(await migrationStatus(again)).toEqual({ applied: ALL, pending: [] });
      // Explicitly asking for migrations on an up-to-date schema runs none.
      expect(await again.runMigrations({ transaction: 'each' })).toEqual([]);
    } finally {
      await again.destroy();
    }

    const unmigrated = createDataSource(db.options);
    await unmigrated.initialize();
    try {
      expect(await unmigrated.showMigrations()).toBe(false);
    } finally {
      await unmigrated.destroy();
    }
    const after: Array<{ name: string }> = await db.ds.query('SELECT name FROM migrations');
    expect(after.map((r) => r.name)).toEqual(ALL);
  });

  it('reports migrations as pending once undone, and openDatabase applies them again', async () => {
    // Undo the last migration first: each step leaves the earlier ones applied and drops its own tables.
    for (let n = STEPS.length - 1; n >= 0; n--) {
      await db.ds.undoLastMigration({ transaction: 'each' });
      expect(await migrationStatus(db.ds)).toEqual({ applied: ALL.slice(0, n), pending: ALL.slice(n) });
      const runner = db.ds.createQueryRunner();
      try {
        for (const table of STEPS[n].tables) expect(await runner.hasTable(table)).toBe(false);
      } finally {
        await runner.release();
      }
    }
    // REFORM_DB_MIGRATE=check (many processes on one database): opening refuses, naming what is pending, and migrates nothing.
    await expect(openDatabase({ ...db.options, migrations: 'check' })).rejects.toThrow(
      `数据库有 ${ALL.length} 个迁移尚未执行(${ALL.join('、')}):本进程不执行迁移(REFORM_DB_MIGRATE=check),请先运行 npx reform db migrate`,
    );
    expect(await migrationStatus(db.ds)).toEqual({ applied: [], pending: ALL });
    const reopened = await openDatabase(db.options);
    try {
      expect(await migrationStatus(reopened)).toEqual({ applied: ALL, pending: [] });
    } finally {
      await reopened.destroy();
    }
    // Once migrated, a process in check mode opens it.
    const checked = await openDatabase({ ...db.options, migrations: 'check' });
    await checked.destroy();
  });

  it('has a unique constraint on letters.idempotency_key', async () => {
    const repo = db.ds.getRepository(LetterEntity);
    await repo.insert(row('plan-0001/filing#1/0', 1));
    let failure: unknown;
    await repo.insert(row('plan-0001/filing#1/0', 2)).catch((e: unknown) => {
      failure = e;
    });
    expect(failure).toBeDefined();
    expect(UNIQUE_CODES).toContain(driverCode(failure));
    expect(await repo.countBy({ idempotencyKey: 'plan-0001/filing#1/0' })).toBe(1);
    expect((await repo.findOneByOrFail({ idempotencyKey: 'plan-0001/filing#1/0' })).serial).toBe(1);
  });

  it('has a unique constraint on the official number (prefix, year, serial)', async () => {
    const repo = db.ds.getRepository(LetterEntity);
    await repo.insert(row('key-a', 7));
    let failure: unknown;
    await repo.insert(row('key-b', 7)).catch((e: unknown) => {
      failure = e;
    });
    expect(UNIQUE_CODES).toContain(driverCode(failure));
    expect(await repo.count()).toBe(1);
  });
});
