import type { LocalDate } from '@reform/calendar';
import type { LetterKind } from '@reform/definitions';

export interface Party {
  role: string;
  name: string;
  /** The units of the unit directory the party stands for (set by the letter store from the plan's ledger row; absent on older letters and for parties that are no unit). */
  unitIds?: string[];
}

/** Everything a letter says, decided by the workflow; the activity only numbers, renders and stores it. */
export interface LetterRequest {
  /** (instance, deadline occurrence, level): one letter at most, whatever retries happen. */
  idempotencyKey: string;
  workflowId: string;
  procedure: { id: string; version: number; title: string };
  plan: { title: string; leadUnit: string; responsiblePerson: string; specialGroup: string };
  deadline: { key: string; id: string; label: string; source: string; anchor: LocalDate; due: LocalDate; explanation: string[] };
  level: number;
  kind: LetterKind;
  /** Rule the letter enforces (Y9, A13…). */
  source: string;
  to: Party[];
  cc: Party[];
  issuedOn: LocalDate;
  limitUntil?: LocalDate;
  previous?: { kind: LetterKind; number: string; issuedOn: LocalDate; limitUntil?: LocalDate };
  /** The office's own wording for this kind of letter, from the rules (函件模板); absent: the standard wording. */
  template?: { subject?: string; paragraphs: string[] };
}

export interface OfficeConfig {
  /** The issuing office, as printed at the foot of letters. */
  name: string;
  /** Prefix of official numbers (文号), e.g. 改办函 gives 改办函〔2026〕12号. */
  numberPrefix: string;
  /** The office's seal (a PNG file), printed over the date of its letters as documents; none when absent. */
  sealImage?: string;
}

export function officialNumber(prefix: string, year: number, serial: number): string {
  return `${prefix}〔${year}〕${serial}号`;
}

export interface IssuedLetter {
  letterId: string;
  number: string;
}

/** The activities the engine's workflows call; implemented in @reform/activities. */
export interface EngineActivities {
  issueLetter(req: LetterRequest): Promise<IssuedLetter>;
}
