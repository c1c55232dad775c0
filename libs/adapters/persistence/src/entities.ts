import { EntitySchema } from 'typeorm';
import { IDENTITY_ENTITIES } from './identity-entities';
import { AuditEntryEntity, AuditHeadEntity } from './audit-entities';
import { LEDGER_ENTITIES } from './ledger-entities';
import { ITEM_ENTITIES } from './item-entities';
import { IMPORT_ENTITIES } from './import-entities';
import { PROBLEM_ENTITIES } from './problem-entities';
import { ASSESSMENT_ENTITIES } from './assessment-entities';
import { DELIBERATION_ENTITIES } from './deliberation-entities';
import { ROUND_ENTITIES } from './round-entities';
import { LedgerViewEntity } from './ledger-view-entities';

/** A letter as issued: immutable once written; one per idempotency key. */
export interface LetterRow {
  id: string;
  idempotencyKey: string;
  number: string;
  numberPrefix: string;
  year: number;
  serial: number;
  kind: string;
  workflowId: string;
  procedureId: string;
  procedureVersion: number;
  deadlineKey: string;
  deadlineId: string;
  level: number;
  addressees: string;
  copyTo: string;
  subject: string;
  body: string;
  dueDate: string;
  limitDate: string | null;
  ruleId: string;
  deadlineRuleId: string;
  issuedOn: string;
  createdAt: string;
}

export interface LetterCounterRow {
  numberPrefix: string;
  year: number;
  last: number;
}

export interface DefinitionRow {
  procedureId: string;
  version: number;
  title: string;
  body: string;
  publishedAt: string;
}

export const LetterEntity = new EntitySchema<LetterRow>({
  name: 'Letter',
  tableName: 'letters',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    idempotencyKey: { name: 'idempotency_key', type: 'varchar', length: 400 },
    number: { type: 'varchar', length: 100 },
    numberPrefix: { name: 'number_prefix', type: 'varchar', length: 50 },
    year: { type: 'int' },
    serial: { type: 'int' },
    kind: { type: 'varchar', length: 30 },
    workflowId: { name: 'workflow_id', type: 'varchar', length: 200 },
    procedureId: { name: 'procedure_id', type: 'varchar', length: 100 },
    procedureVersion: { name: 'procedure_version', type: 'int' },
    deadlineKey: { name: 'deadline_key', type: 'varchar', length: 120 },
    deadlineId: { name: 'deadline_id', type: 'varchar', length: 100 },
    level: { type: 'int' },
    addressees: { type: 'text' },
    copyTo: { name: 'copy_to', type: 'text' },
    subject: { type: 'text' },
    body: { type: 'text' },
    dueDate: { name: 'due_date', type: 'varchar', length: 10 },
    limitDate: { name: 'limit_date', type: 'varchar', length: 10, nullable: true },
    ruleId: { name: 'rule_id', type: 'varchar', length: 10 },
    deadlineRuleId: { name: 'deadline_rule_id', type: 'varchar', length: 10 },
    issuedOn: { name: 'issued_on', type: 'varchar', length: 10 },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

export const LetterCounterEntity = new EntitySchema<LetterCounterRow>({
  name: 'LetterCounter',
  tableName: 'letter_counters',
  columns: {
    numberPrefix: { name: 'number_prefix', type: 'varchar', length: 50, primary: true },
    year: { type: 'int', primary: true },
    last: { type: 'int' },
  },
});

export const DefinitionEntity = new EntitySchema<DefinitionRow>({
  name: 'ProcedureDefinition',
  tableName: 'procedure_definitions',
  columns: {
    procedureId: { name: 'procedure_id', type: 'varchar', length: 100, primary: true },
    version: { type: 'int', primary: true },
    title: { type: 'varchar', length: 200 },
    body: { type: 'text' },
    publishedAt: { name: 'published_at', type: 'varchar', length: 30 },
  },
});

/** The rules files a procedure version was published from (JSON array of { name, text }). */
export interface ProcedureSourceRow {
  procedureId: string;
  version: number;
  files: string;
}

export const ProcedureSourceEntity = new EntitySchema<ProcedureSourceRow>({
  name: 'ProcedureSource',
  tableName: 'procedure_sources',
  columns: {
    procedureId: { name: 'procedure_id', type: 'varchar', length: 100, primary: true },
    version: { type: 'int', primary: true },
    files: { type: 'text' },
  },
});

export interface HolidayYearRow {
  year: number;
  source: string;
  body: string;
  loadedAt: string;
}

export const HolidayYearEntity = new EntitySchema<HolidayYearRow>({
  name: 'HolidayYear',
  tableName: 'holiday_years',
  columns: {
    year: { type: 'int', primary: true },
    source: { type: 'text' },
    body: { type: 'text' },
    loadedAt: { name: 'loaded_at', type: 'varchar', length: 30 },
  },
});

export const ENTITIES = [LetterEntity, LetterCounterEntity, DefinitionEntity, ProcedureSourceEntity, HolidayYearEntity, ...IDENTITY_ENTITIES, AuditEntryEntity, AuditHeadEntity, ...LEDGER_ENTITIES, ...ITEM_ENTITIES, ...IMPORT_ENTITIES, ...PROBLEM_ENTITIES, ...ROUND_ENTITIES, ...ASSESSMENT_ENTITIES, ...DELIBERATION_ENTITIES, LedgerViewEntity];
