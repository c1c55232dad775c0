import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The year-end assessment: third-party scores, the red list, computed assessments (assessment-entities.ts). */
export class Assessments1764650000000 implements MigrationInterface {
  name = 'Assessments1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'assessment_evaluations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'year', type: 'int' },
          { name: 'region_path', type: 'varchar', length: '200' },
          { name: 'target_type', type: 'varchar', length: '10' },
          { name: 'target_id', type: 'varchar', length: '100' },
          { name: 'subject', type: 'varchar', length: '200' },
          { name: 'evaluator', type: 'varchar', length: '200' },
          { name: 'score_centi', type: 'int' },
          { name: 'entered_by', type: 'varchar', length: '100' },
          { name: 'entered_at', type: 'varchar', length: '30' },
        ],
        indices: [{ name: 'ix_assessment_evaluations_region', columnNames: ['region_path', 'year'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_red_list',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'year', type: 'int' },
          { name: 'region_path', type: 'varchar', length: '200' },
          { name: 'target_type', type: 'varchar', length: '10' },
          { name: 'target_id', type: 'varchar', length: '100' },
          { name: 'reason', type: 'text' },
          { name: 'added_by', type: 'varchar', length: '100' },
          { name: 'added_at', type: 'varchar', length: '30' },
          { name: 'published_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'published_by', type: 'varchar', length: '100', isNullable: true },
        ],
        indices: [{ name: 'ix_assessment_red_list_region', columnNames: ['region_path', 'year'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'year', type: 'int' },
          { name: 'region_path', type: 'varchar', length: '200' },
          { name: 'scheme_id', type: 'varchar', length: '100' },
          { name: 'scheme_title', type: 'varchar', length: '200' },
          { name: 'scheme_text', type: 'text' },
          { name: 'as_of', type: 'varchar', length: '10' },
          { name: 'computed_by', type: 'varchar', length: '100' },
          { name: 'computed_at', type: 'varchar', length: '30' },
          { name: 'result', type: 'text' },
        ],
        indices: [{ name: 'ix_assessments_region', columnNames: ['region_path', 'year'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('assessments');
    await q.dropTable('assessment_red_list');
    await q.dropTable('assessment_evaluations');
  }
}
