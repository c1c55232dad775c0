import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from '../support/temporal';

const DIR = join(__dirname, '../histories');

/**
 * Histories recorded from the scenario tests (npm run histories:record) must replay on the
 * current workflow code: a change that breaks them would break running plans.
 */
describe('recorded histories replay on the current workflow code', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    } catch {
      // Installed already by another suite in this worker process.
    }
  });

  it('has histories of every kind of scenario to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('replays every one without a nondeterminism error', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
