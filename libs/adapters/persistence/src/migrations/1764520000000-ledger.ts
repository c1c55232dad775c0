import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The ledger: plans as projected by their workflows, with their units, deadlines and items (ledger-entities.ts). */
export class Ledger1764520000000 implements MigrationInterface {
  name = 'Ledger1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ledger_plans',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'procedure_id', type: 'varchar', length: '100' },
          { name: 'procedure_version', type: 'int' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'stage_id', type: 'varchar', length: '100' },
          { name: 'stage_label', type: 'text' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'region_path', type: 'varchar', length: '200', isNullable: true },
          { name: 'region_level', type: 'varchar', length: '10', isNullable: true },
          { name: 'lead_unit_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'special_group_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'next_due', type: 'varchar', length: '10', isNullable: true },
          { name: 'due_key', type: 'varchar', length: '10' },
          { name: 'overdue', type: 'boolean' },
          { name: 'change_counter', type: 'int' },
          { name: 'updated_at', type: 'varchar', length: '30' },
          { name: 'projected_at', type: 'varchar', length: '30' },
          { name: 'projection', type: 'text' },
        ],
        indices: [
          { name: 'ix_ledger_plans_region', columnNames: ['region_path'] },
          { name: 'ix_ledger_plans_level', columnNames: ['region_level'] },
          { name: 'ix_ledger_plans_lead', columnNames: ['lead_unit_id'] },
          { name: 'ix_ledger_plans_group', columnNames: ['special_group_id'] },
          { name: 'ix_ledger_plans_procedure', columnNames: ['procedure_id'] },
          { name: 'ix_ledger_plans_stage', columnNames: ['stage_id', 'plan_id'] },
          { name: 'ix_ledger_plans_status', columnNames: ['status'] },
          { name: 'ix_ledger_plans_due', columnNames: ['due_key', 'plan_id'] },
          { name: 'ix_ledger_plans_next_due', columnNames: ['next_due'] },
          { name: 'ix_ledger_plans_overdue', columnNames: ['overdue'] },
          { name: 'ix_ledger_plans_title', columnNames: ['title', 'plan_id'] },
          { name: 'ix_ledger_plans_updated', columnNames: ['updated_at', 'plan_id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ledger_plan_units',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'unit_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'relation', type: 'varchar', length: '20', isPrimary: true },
        ],
        indices: [{ name: 'ix_ledger_plan_units_unit', columnNames: ['unit_id', 'relation'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ledger_deadlines',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'deadline_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'label', type: 'text' },
          { name: 'rule_id', type: 'varchar', length: '10', isNullable: true },
          { name: 'due', type: 'varchar', length: '10' },
          { name: 'status', type: 'varchar', length: '10' },
        ],
        indices: [
          { name: 'ix_ledger_deadlines_rule', columnNames: ['rule_id', 'status', 'due'] },
          { name: 'ix_ledger_deadlines_due', columnNames: ['status', 'due'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ledger_items',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'item_id', type: 'varchar', length: '50', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '20' },
        ],
        indices: [{ name: 'ix_ledger_items_status', columnNames: ['status'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ledger_items');
    await q.dropTable('ledger_deadlines');
    await q.dropTable('ledger_plan_units');
    await q.dropTable('ledger_plans');
  }
}
