import type { LocalDate } from '@reform/calendar';
import type { Attributes, ItemStatus } from '@reform/definitions';

export interface ItemRecord {
  title: string;
  status: ItemStatus;
  updatedOn: LocalDate;
}

export interface LogEntry {
  stage: string;
  action: string;
  role: string;
  actor?: string;
  businessDate: LocalDate;
  recordedOn: LocalDate;
  reason?: string;
}

/** The state a plan carries besides its stage; changed only by the machine's assign actions. */
export interface ProcessContext {
  attributes: Attributes;
  /** Latest business date of each recorded event. */
  events: Record<string, LocalDate>;
  /** Stages passed: completed, or skipped because they did not apply. */
  stages: Record<string, 'completed' | 'skipped'>;
  items: Record<string, ItemRecord>;
  /** Reasons given when a plan was sent back; kept across loops. */
  returns: LogEntry[];
  log: LogEntry[];
}

/** An action taken by a role, as the machine sees it. `type` is the action id. */
export interface ActionEvent {
  type: string;
  role: string;
  actor?: string;
  businessDate: LocalDate;
  recordedOn: LocalDate;
  reason?: string;
  item?: { id: string; title?: string; status?: ItemStatus };
}

export interface MachineInput {
  attributes: Attributes;
  events: Record<string, LocalDate>;
}

export function initialContext(input: MachineInput): ProcessContext {
  return { attributes: { ...input.attributes }, events: { ...input.events }, stages: {}, items: {}, returns: [], log: [] };
}
