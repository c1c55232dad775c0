import { EntitySchema } from 'typeorm';

/**
 * The yearly deliberation schedule (年度上会审议计划, W5; S1): the leading-group meetings a reform
 * office plans for a year, and the plans listed for each. Whether a plan is ready for its meeting
 * or already deliberated is not kept here: it is read from the plan's ledger projection.
 */
export interface DeliberationMeetingRow {
  id: string;
  /** The reform office whose schedule it is. */
  ownerUnitId: string;
  regionPath: string;
  year: number;
  title: string;
  /** The meeting's date (local date, YYYY-MM-DD). */
  meetingDate: string;
  createdBy: string;
  createdAt: string;
}

/** A plan listed for a meeting; a plan is listed at most once in an office's schedule of a year. */
export interface DeliberationEntryRow {
  meetingId: string;
  planId: string;
  ownerUnitId: string;
  year: number;
  note: string | null;
  addedBy: string;
  addedAt: string;
}

export const DeliberationMeetingEntity = new EntitySchema<DeliberationMeetingRow>({
  name: 'DeliberationMeeting',
  tableName: 'deliberation_meetings',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    ownerUnitId: { name: 'owner_unit_id', type: 'varchar', length: 100 },
    regionPath: { name: 'region_path', type: 'varchar', length: 200 },
    year: { type: 'int' },
    title: { type: 'varchar', length: 200 },
    meetingDate: { name: 'meeting_date', type: 'varchar', length: 10 },
    createdBy: { name: 'created_by', type: 'varchar', length: 100 },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

export const DeliberationEntryEntity = new EntitySchema<DeliberationEntryRow>({
  name: 'DeliberationEntry',
  tableName: 'deliberation_entries',
  columns: {
    meetingId: { name: 'meeting_id', type: 'varchar', length: 36, primary: true },
    planId: { name: 'plan_id', type: 'varchar', length: 200, primary: true },
    ownerUnitId: { name: 'owner_unit_id', type: 'varchar', length: 100 },
    year: { type: 'int' },
    note: { type: 'text', nullable: true },
    addedBy: { name: 'added_by', type: 'varchar', length: 100 },
    addedAt: { name: 'added_at', type: 'varchar', length: 30 },
  },
});

export const DELIBERATION_ENTITIES = [DeliberationMeetingEntity, DeliberationEntryEntity];
