import type { Command } from '@reform/definitions';

type Step = [string, string, Partial<Command>?];

/** A plan that is not major and has no special attributes: countersign after legality review. */
export const TO_ISSUANCE_SIMPLE: Step[] = [
  ['submit_draft', 'lead_unit'],
  ['complete_research', 'lead_unit'],
  ['pass_special_group_review', 'special_group'],
  ['pass_legality_review', 'legal_office'],
  ['approve_countersign', 'special_group'],
];

/** A major plan: reform-office review and the leading group meeting. */
export const TO_ISSUANCE_MAJOR: Step[] = [
  ['submit_draft', 'lead_unit'],
  ['complete_research', 'lead_unit'],
  ['pass_special_group_review', 'special_group'],
  ['pass_legality_review', 'legal_office'],
  ['pass_reform_office_review', 'reform_office'],
  ['approve_leading_group_meeting', 'leading_group'],
];
