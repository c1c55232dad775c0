import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { config } from 'zod';

/**
 * Bench experiment (--zod-jitless), not production: loaded as a workflow interceptor module, so it
 * runs in each workflow's module scope before the workflow's own modules build their zod
 * schemas. It turns off zod's JIT fast path, which otherwise compiles parsers anew for every
 * workflow (each workflow gets its own copy of the schemas in the reusable V8 context).
 */
config({ jitless: true });

export const interceptors: WorkflowInterceptorsFactory = () => ({});
