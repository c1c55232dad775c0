import { IDENTITY_ENTITIES } from '@reform/persistence';
import { IDENTITY_LIMITS } from '@reform/platform';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

type Columns = Record<string, { name?: string; length?: number | string; type: unknown }>;

describe.each(DB_KINDS)('identity columns on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('the migration made every identity column with the length its entity (IDENTITY_LIMITS) declares', async () => {
    const runner = db.ds.createQueryRunner();
    try {
      for (const entity of IDENTITY_ENTITIES) {
        const table = await runner.getTable(entity.options.tableName!);
        expect(table).toBeDefined();
        for (const [key, column] of Object.entries(entity.options.columns as Columns)) {
          const made = table!.findColumnByName(column.name ?? key);
          expect({ table: entity.options.tableName, column: key, exists: !!made }).toEqual({ table: entity.options.tableName, column: key, exists: true });
          if (column.length !== undefined) expect({ column: key, length: Number(made!.length) }).toEqual({ column: key, length: Number(column.length) });
        }
      }
    } finally {
      await runner.release();
    }
  });

  it('input limits fit their columns: a typed password is refused before it could be hashed; a hash fits', () => {
    const columns = (name: string) => IDENTITY_ENTITIES.find((e) => e.options.tableName === name)!.options.columns as Columns;
    expect(IDENTITY_LIMITS.username).toBeLessThanOrEqual(Number(columns('users').username.length));
    // An argon2id PHC string with default parameters is under 100 characters.
    expect(Number(columns('users').passwordHash.length)).toBeGreaterThanOrEqual(100);
    expect(Number(columns('refresh_tokens').tokenHash.length)).toBe(64);
  });
});
