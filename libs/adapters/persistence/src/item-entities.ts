import { EntitySchema } from 'typeorm';

/**
 * Specific reform items (S2) beside the engine: the engine holds each item's status (the
 * authority); these rows keep what it does not: the history of each item's changes (who, unit,
 * when, from which status to which, the evidence) and the metadata of evidence files, whose
 * bytes lie on disk, addressed by their SHA-256 (evidence-store.ts).
 */
export interface EvidenceRow {
  id: string;
  planId: string;
  itemId: string;
  /** The file name as the uploader gave it (UTF-8). */
  filename: string;
  /** pdf, docx, xlsx, … (lower case, from the allowed list). */
  extension: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploaderName: string;
  unitId: string;
  uploadedAt: string;
  requestId: string | null;
}

export interface ItemChangeRow {
  planId: string;
  itemId: string;
  /** 1, 2, … per item, in the order the changes were made. */
  seq: number;
  title: string;
  /** null when the change registered the item. */
  statusBefore: string | null;
  statusAfter: string;
  businessDate: string;
  note: string | null;
  /** JSON array of evidence ids. */
  evidenceIds: string;
  actorUserId: string;
  actorName: string;
  unitId: string;
  at: string;
  requestId: string | null;
}

export const EvidenceEntity = new EntitySchema<EvidenceRow>({
  name: 'ItemEvidence',
  tableName: 'item_evidence',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    planId: { name: 'plan_id', type: 'varchar', length: 200 },
    itemId: { name: 'item_id', type: 'varchar', length: 50 },
    filename: { type: 'varchar', length: 255 },
    extension: { type: 'varchar', length: 10 },
    contentType: { name: 'content_type', type: 'varchar', length: 100 },
    size: { type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
    sha256: { type: 'varchar', length: 64 },
    uploadedBy: { name: 'uploaded_by', type: 'varchar', length: 100 },
    uploaderName: { name: 'uploader_name', type: 'varchar', length: 200 },
    unitId: { name: 'unit_id', type: 'varchar', length: 100 },
    uploadedAt: { name: 'uploaded_at', type: 'varchar', length: 30 },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
  },
});

export const ItemChangeEntity = new EntitySchema<ItemChangeRow>({
  name: 'ItemChange',
  tableName: 'item_changes',
  columns: {
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    itemId: { name: 'item_id', type: 'varchar', length: 50, primary: true },
    seq: { type: 'int', primary: true },
    title: { type: 'varchar', length: 200 },
    statusBefore: { name: 'status_before', type: 'varchar', length: 20, nullable: true },
    statusAfter: { name: 'status_after', type: 'varchar', length: 20 },
    businessDate: { name: 'business_date', type: 'varchar', length: 10 },
    note: { type: 'text', nullable: true },
    evidenceIds: { name: 'evidence_ids', type: 'text' },
    actorUserId: { name: 'actor_user_id', type: 'varchar', length: 100 },
    actorName: { name: 'actor_name', type: 'varchar', length: 200 },
    unitId: { name: 'unit_id', type: 'varchar', length: 100 },
    at: { type: 'varchar', length: 30 },
    requestId: { name: 'request_id', type: 'varchar', length: 128, nullable: true },
  },
});

export const ITEM_ENTITIES = [EvidenceEntity, ItemChangeEntity];
