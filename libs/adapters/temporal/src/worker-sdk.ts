import type * as WorkerSdk from '@temporalio/worker';

/**
 * The worker SDK, loaded when a worker is first made: it takes a good part of a second to load,
 * and the command line, which only needs a client, never makes one.
 */
export function workerSdk(): typeof WorkerSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@temporalio/worker') as typeof WorkerSdk;
}
