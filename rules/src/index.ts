export * from './diagnostics';
export * from './ruleset';
export { MAX_DIAGNOSTICS, parseRules } from './syntax/parse';
export type * as Ast from './syntax/ast';
export * from './holidays';
export { formatRules } from './format/format';
export { explainProcedure } from './explain/explain';
export { diffDefinitions, describeChanges, type Change } from './diff/diff';
export { type AssessmentScheme, type SchemeIndicator, type SchemeMeasure, MAX_POINTS } from './assessment/scheme';
