// The definitions' types and pure code without zod: what the workflow bundle may import (every
// cached workflow loads its own copy of each module it imports). The zod schemas are in index.ts,
// for the service boundary, where input is parsed before it reaches a workflow.
export * from './condition';
export * from './model';
export * from './references';
export * from './input-check';
export type {
  Action,
  Addressee,
  Deadline,
  LadderLevel,
  LadderTrigger,
  LetterTemplate,
  ProcessDefinition,
  ProcessDefinitionInput,
  Role,
  Stage,
} from './definition';
export type { Command, Plan, StartInput, StartInputData } from './plan';
