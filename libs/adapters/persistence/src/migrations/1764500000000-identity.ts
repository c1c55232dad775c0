import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// Lengths as in identity-entities.ts (IDENTITY_LIMITS at the time of writing): a shipped migration never changes.

/** The unit directory (regions, units), accounts, refresh tokens and the platform's own secrets. */
export class Identity1764500000000 implements MigrationInterface {
  name = 'Identity1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'regions',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'level', type: 'varchar', length: '20' },
          { name: 'parent_id', type: 'varchar', length: '40', isNullable: true },
          { name: 'path', type: 'varchar', length: '200' },
        ],
        uniques: [{ name: 'uq_regions_path', columnNames: ['path'] }],
        indices: [{ name: 'ix_regions_parent', columnNames: ['parent_id'] }],
        foreignKeys: [{ name: 'fk_regions_parent', columnNames: ['parent_id'], referencedTableName: 'regions', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'units',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'region_id', type: 'varchar', length: '40' },
          { name: 'area', type: 'varchar', length: '100', isNullable: true },
        ],
        uniques: [{ name: 'uq_units_region_name', columnNames: ['region_id', 'name'] }],
        indices: [{ name: 'ix_units_region_kind', columnNames: ['region_id', 'kind'] }],
        foreignKeys: [{ name: 'fk_units_region', columnNames: ['region_id'], referencedTableName: 'regions', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'display_name', type: 'varchar', length: '100' },
          { name: 'unit_id', type: 'varchar', length: '64' },
          { name: 'roles', type: 'text' },
          { name: 'password_hash', type: 'varchar', length: '200' },
          { name: 'failed_logins', type: 'int', default: 0 },
          { name: 'locked_until', type: 'varchar', length: '30', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
        uniques: [{ name: 'uq_users_username', columnNames: ['username'] }],
        indices: [{ name: 'ix_users_unit', columnNames: ['unit_id'] }],
        foreignKeys: [{ name: 'fk_users_unit', columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'family_id', type: 'varchar', length: '64' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'expires_at', type: 'varchar', length: '30' },
          { name: 'used_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'revoked_at', type: 'varchar', length: '30', isNullable: true },
        ],
        uniques: [{ name: 'uq_refresh_tokens_hash', columnNames: ['token_hash'] }],
        indices: [
          { name: 'ix_refresh_tokens_family', columnNames: ['family_id'] },
          { name: 'ix_refresh_tokens_user', columnNames: ['user_id'] },
        ],
        foreignKeys: [{ name: 'fk_refresh_tokens_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'platform_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true },
          { name: 'value', type: 'varchar', length: '200' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('platform_secrets');
    await q.dropTable('refresh_tokens');
    await q.dropTable('users');
    await q.dropTable('units');
    await q.dropTable('regions');
  }
}
