import { EntitySchema } from 'typeorm';

/**
 * One import of an annual task list (年度改革任务清单) by a user: keyed by the caller and the
 * file's SHA-256, so the same file sent again by the same user answers what the first import
 * did instead of registering its plans twice. `plans` grows as each row's plan is registered:
 * an import cut short resumes where it stopped.
 */
export interface TaskListImportRow {
  /** SHA-256 (hex) of the user id and the file's SHA-256. */
  id: string;
  userId: string;
  unitId: string;
  fileSha256: string;
  filename: string | null;
  /** Task rows in the file. */
  rowCount: number;
  /** JSON array of { row, planId, title }, in row order, of the plans registered so far. */
  plans: string;
  status: 'running' | 'done';
  createdAt: string;
  finishedAt: string | null;
  requestId: string | null;
}

export const TaskListImportEntity = new EntitySchema<TaskListImportRow>({
  name: 'TaskListImport',
  tableName: 'task_list_imports',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 100 },
    unitId: { name: 'unit_id', type: 'varchar', length: 100 },
    fileSha256: { name: 'file_sha256', type: 'varchar', length: 64 },
    filename: { type: 'varchar', length: 255, nullable: true },
    rowCount: { name: 'row_count', type: 'int' },
    plans: { type: 'text' },
    status: { type: 'varchar', length: 10 },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
    finishedAt: { name: 'finished_at', type: 'varchar', length: 30, nullable: true },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
  },
});

export const IMPORT_ENTITIES = [TaskListImportEntity];
