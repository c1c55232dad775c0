import { EntitySchema, ValueTransformer } from 'typeorm';
import type { AuditHashedFields } from './audit-hash';

/** One row of the audit trail, as stored: append-only (the database refuses UPDATE and DELETE). */
export interface AuditRow extends AuditHashedFields {
  hash: string;
}

/** The chain's head: the last seq given out and its row's hash. One row, id 1. */
export interface AuditHeadRow {
  id: number;
  seq: number;
  hash: string;
}

/** PostgreSQL returns bigint as a string; seq stays far below 2^53, so it is read as a number. */
const bigintAsNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

export const AuditEntryEntity = new EntitySchema<AuditRow>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  columns: {
    seq: { type: 'bigint', primary: true, transformer: bigintAsNumber },
    at: { type: 'varchar', length: 30 },
    actorUserId: { name: 'actor_user_id', type: 'varchar', length: 100, nullable: true },
    actorName: { name: 'actor_name', type: 'varchar', length: 200, nullable: true },
    actorUnitId: { name: 'actor_unit_id', type: 'varchar', length: 100, nullable: true },
    action: { type: 'varchar', length: 60 },
    targetType: { name: 'target_type', type: 'varchar', length: 60 },
    targetId: { name: 'target_id', type: 'varchar', length: 200, nullable: true },
    before: { type: 'text', nullable: true },
    after: { type: 'text', nullable: true },
    requestId: { name: 'request_id', type: 'varchar', length: 100, nullable: true },
    prevHash: { name: 'prev_hash', type: 'varchar', length: 64 },
    hash: { type: 'varchar', length: 64 },
  },
});

export const AuditHeadEntity = new EntitySchema<AuditHeadRow>({
  name: 'AuditHead',
  tableName: 'audit_head',
  columns: {
    id: { type: 'int', primary: true },
    seq: { type: 'bigint', transformer: bigintAsNumber },
    hash: { type: 'varchar', length: 64 },
  },
});
