import { EntitySchema } from 'typeorm';

/**
 * The year-end assessment (考核, S4, A14, A15, Y12–Y15): what the reform office of a level enters
 * (third-party evaluation scores, the red list) and each assessment it computed, kept whole with
 * its trace so that a score read later is the score that was computed (A15 全程留痕).
 */

/** A unit of the level, or an area (a region one level down) as a whole. */
export type AssessmentTargetType = 'unit' | 'region';

/** A third-party evaluation score (第三方评估, Y12, H5) the office entered for a unit or an area. */
export interface AssessmentEvaluationRow {
  id: string;
  year: number;
  /** The level whose office entered it (a region path). */
  regionPath: string;
  targetType: AssessmentTargetType;
  targetId: string;
  /** The reform evaluated (评估事项). */
  subject: string;
  /** The evaluating institution. */
  evaluator: string;
  /** Out of 100, in hundredths (87.5 is 8750): exact on both databases. */
  scoreCenti: number;
  enteredBy: string;
  enteredAt: string;
}

/** An entry of the red list (红榜, Y14), decided by the level's reform office; counted and shown once published. */
export interface RedListRow {
  id: string;
  year: number;
  regionPath: string;
  targetType: AssessmentTargetType;
  targetId: string;
  reason: string;
  addedBy: string;
  addedAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** An assessment as computed: the scheme it used and every score with its trace, as JSON. */
export interface AssessmentRow {
  id: string;
  year: number;
  regionPath: string;
  schemeId: string;
  schemeTitle: string;
  /** The scheme's rules text, as it was when the scores were computed. */
  schemeText: string;
  /** The last day whose records count (the year's end, or the day it was computed on). */
  asOf: string;
  computedBy: string;
  computedAt: string;
  result: string;
}

export const AssessmentEvaluationEntity = new EntitySchema<AssessmentEvaluationRow>({
  name: 'AssessmentEvaluation',
  tableName: 'assessment_evaluations',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    year: { type: 'int' },
    regionPath: { name: 'region_path', type: 'varchar', length: 200 },
    targetType: { name: 'target_type', type: 'varchar', length: 10 },
    targetId: { name: 'target_id', type: 'varchar', length: 100 },
    subject: { type: 'varchar', length: 200 },
    evaluator: { type: 'varchar', length: 200 },
    scoreCenti: { name: 'score_centi', type: 'int' },
    enteredBy: { name: 'entered_by', type: 'varchar', length: 100 },
    enteredAt: { name: 'entered_at', type: 'varchar', length: 30 },
  },
});

export const RedListEntity = new EntitySchema<RedListRow>({
  name: 'RedListEntry',
  tableName: 'assessment_red_list',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    year: { type: 'int' },
    regionPath: { name: 'region_path', type: 'varchar', length: 200 },
    targetType: { name: 'target_type', type: 'varchar', length: 10 },
    targetId: { name: 'target_id', type: 'varchar', length: 100 },
    reason: { type: 'text' },
    addedBy: { name: 'added_by', type: 'varchar', length: 100 },
    addedAt: { name: 'added_at', type: 'varchar', length: 30 },
    publishedAt: { name: 'published_at', type: 'varchar', length: 30, nullable: true },
    publishedBy: { name: 'published_by', type: 'varchar', length: 100, nullable: true },
  },
});

export const AssessmentEntity = new EntitySchema<AssessmentRow>({
  name: 'Assessment',
  tableName: 'assessments',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    year: { type: 'int' },
    regionPath: { name: 'region_path', type: 'varchar', length: 200 },
    schemeId: { name: 'scheme_id', type: 'varchar', length: 100 },
    schemeTitle: { name: 'scheme_title', type: 'varchar', length: 200 },
    schemeText: { name: 'scheme_text', type: 'text' },
    asOf: { name: 'as_of', type: 'varchar', length: 10 },
    computedBy: { name: 'computed_by', type: 'varchar', length: 100 },
    computedAt: { name: 'computed_at', type: 'varchar', length: 30 },
    result: { type: 'text' },
  },
});

export const ASSESSMENT_ENTITIES = [AssessmentEvaluationEntity, RedListEntity, AssessmentEntity];
