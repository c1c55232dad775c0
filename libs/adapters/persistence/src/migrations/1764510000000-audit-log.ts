import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { GENESIS_HASH } from '../audit-hash';

/**
 * The audit trail (A15 全程留痕): an append-only, hash-chained log, and its one-row head.
 * The database itself refuses UPDATE and DELETE of a logged row (and TRUNCATE on PostgreSQL)
 * with triggers, so no code path of ours, and no careless hand at a SQL prompt, can rewrite it;
 * someone who drops the triggers first is caught by the chain (AuditStore.verify).
 */
export class AuditLog1764510000000 implements MigrationInterface {
  name = 'AuditLog1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'seq', type: 'bigint', isPrimary: true },
          { name: 'at', type: 'varchar', length: '30' },
          { name: 'actor_user_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'actor_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'actor_unit_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'action', type: 'varchar', length: '60' },
          { name: 'target_type', type: 'varchar', length: '60' },
          { name: 'target_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'before', type: 'text', isNullable: true },
          { name: 'after', type: 'text', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        uniques: [{ name: 'uq_audit_log_hash', columnNames: ['hash'] }],
        indices: [{ name: 'ix_audit_log_target', columnNames: ['target_type', 'target_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_head',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'seq', type: 'bigint' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    await q.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`);

    if (q.connection.options.type === 'postgres') {
      // restrict_violation (23001): an integrity refusal, which isPermanentWriteError treats as final.
      await q.query(`
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '审计记录只能追加,不能%',
            CASE TG_OP WHEN 'UPDATE' THEN '修改' WHEN 'DELETE' THEN '删除' ELSE '清空' END
            USING ERRCODE = 'restrict_violation';
        END
        $$`);
      await q.query(`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
      await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    } else {
      await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录只能追加,不能修改'); END`);
      await q.query(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录只能追加,不能删除'); END`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Dropping the table drops its triggers; the function is PostgreSQL's own object.
    await q.dropTable('audit_head');
    await q.dropTable('audit_log');
    if (q.connection.options.type === 'postgres') await q.query('DROP FUNCTION audit_log_append_only()');
  }
}
