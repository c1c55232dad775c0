export { PROBLEM_PROCEDURE, RECTIFICATION_DEADLINE } from '@reform/platform';
