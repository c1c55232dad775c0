import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Failed logins under names no account has (an account counts its own in users): unknown names
 * lock like known ones, so the lockout answer does not reveal which names exist.
 */
export class LoginFailures1764530000000 implements MigrationInterface {
  name = 'LoginFailures1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'login_failures',
        columns: [
          { name: 'username', type: 'varchar', length: '64', isPrimary: true },
          { name: 'failed_logins', type: 'int', default: 0 },
          { name: 'locked_until', type: 'varchar', length: '30', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('login_failures');
  }
}
