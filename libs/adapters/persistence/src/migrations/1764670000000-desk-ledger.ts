import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A supervision round keeps the tasks fixed at its opening (`planned`): its row is written
 * before any task's workflow starts, each task's row comes with its workflow's first ledger
 * write, and a retried opening starts what is missing (desk-ledgers.ts, RoundDesk.open).
 */
export class DeskLedger1764670000000 implements MigrationInterface {
  name = 'DeskLedger1764670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('supervision_rounds', new TableColumn({ name: 'planned', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('supervision_rounds', 'planned');
  }
}
