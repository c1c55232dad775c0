import { EntitySchema } from 'typeorm';

/**
 * A saved view of the ledger (台账视图): the filters of `GET /api/plans` a user keeps under a name
 * of their own, to open again. A user's names are unique; nobody else sees their views.
 */
export interface LedgerViewRow {
  id: string;
  userId: string;
  name: string;
  /** The filters as a JSON object of strings (the query string's parameters). */
  filters: string;
  createdAt: string;
}

export const LedgerViewEntity = new EntitySchema<LedgerViewRow>({
  name: 'LedgerView',
  tableName: 'ledger_views',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 100 },
    name: { type: 'varchar', length: 50 },
    filters: { type: 'text' },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});
