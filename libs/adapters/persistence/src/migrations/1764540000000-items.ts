import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Specific reform items: each item's history of changes and the metadata of evidence files (item-entities.ts). */
export class Items1764540000000 implements MigrationInterface {
  name = 'Items1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'item_evidence',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plan_id', type: 'varchar', length: '200' },
          { name: 'item_id', type: 'varchar', length: '50' },
          { name: 'filename', type: 'varchar', length: '255' },
          { name: 'extension', type: 'varchar', length: '10' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'size', type: 'bigint' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'uploaded_by', type: 'varchar', length: '100' },
          { name: 'uploader_name', type: 'varchar', length: '200' },
          { name: 'unit_id', type: 'varchar', length: '100' },
          { name: 'uploaded_at', type: 'varchar', length: '30' },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
        ],
        indices: [
          { name: 'ix_item_evidence_item', columnNames: ['plan_id', 'item_id', 'uploaded_at'] },
          { name: 'ix_item_evidence_sha', columnNames: ['sha256'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'item_changes',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'item_id', type: 'varchar', length: '50', isPrimary: true },
          { name: 'seq', type: 'int', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'status_before', type: 'varchar', length: '20', isNullable: true },
          { name: 'status_after', type: 'varchar', length: '20' },
          { name: 'business_date', type: 'varchar', length: '10' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'evidence_ids', type: 'text' },
          { name: 'actor_user_id', type: 'varchar', length: '100' },
          { name: 'actor_name', type: 'varchar', length: '200' },
          { name: 'unit_id', type: 'varchar', length: '100' },
          { name: 'at', type: 'varchar', length: '30' },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('item_changes');
    await q.dropTable('item_evidence');
  }
}
