import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Letters reach their units (issue 9, §2): one row per unit a letter is addressed (主送) or copied
 * (抄送) to, with its signing (签收); and the outbox, one row per recipient unit, that the
 * deliverer sends as a notification (at least once, claimed under a lease). Both are written in
 * the letter's own transaction.
 */
export class LetterRecipients1764580000000 implements MigrationInterface {
  name = 'LetterRecipients1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'letter_recipients',
        columns: [
          { name: 'letter_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'unit_id', type: 'varchar', length: '100', isPrimary: true },
          // to (主送) | cc (抄送)
          { name: 'relation', type: 'varchar', length: '10' },
          // The last day to sign for it (the issue date plus the configured working days).
          { name: 'sign_by', type: 'varchar', length: '10' },
          { name: 'signed_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'signed_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'signed_by_name', type: 'varchar', length: '200', isNullable: true },
        ],
      }),
    );
    await q.createIndex('letter_recipients', new TableIndex({ name: 'letter_recipients_unit', columnNames: ['unit_id', 'signed_at'] }));
    await q.createTable(
      new Table({
        name: 'letter_outbox',
        columns: [
          // letter id + '/' + unit id: what the receiver deduplicates on.
          { name: 'delivery_key', type: 'varchar', length: '140', isPrimary: true },
          { name: 'letter_id', type: 'varchar', length: '36' },
          { name: 'unit_id', type: 'varchar', length: '100' },
          // pending | delivered
          { name: 'state', type: 'varchar', length: '20' },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'next_attempt_at', type: 'varchar', length: '30' },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '200', isNullable: true },
          { name: 'lease_until', type: 'varchar', length: '30', isNullable: true },
          { name: 'delivered_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    await q.createIndex('letter_outbox', new TableIndex({ name: 'letter_outbox_due', columnNames: ['state', 'next_attempt_at'] }));
    await q.createIndex('letter_outbox', new TableIndex({ name: 'letter_outbox_letter', columnNames: ['letter_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('letter_outbox');
    await q.dropTable('letter_recipients');
  }
}
