export { procedureWorkflow } from './procedure-workflow';
export * from './messages';
