import { workflowBundle } from '@reform/temporal';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/**
 * The price of a workflow-cache miss, without the server: a worker that is sent a task for a plan
 * it no longer keeps fetches the plan's history and replays it from the start. This times the
 * replay part on the production bundle (Worker.runReplayHistories), for recorded histories of
 * test/histories, each replayed --times times under distinct ids after a warm-up round. Fetching
 * the history from the server comes on top. A measurement, not a test: it asserts nothing.
 *
 *     npx tsx apps/bench/src/replay-cost.ts [--times 50] [history names…]
 */
const ROOT = resolve(__dirname, '../../..');
const DEFAULT_HISTORIES = ['central-integration-past-due', 'filing-late-single-timer', 'audited-acts', 'ledger-projection', 'ten-years-first-run'];

async function main() {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { times: { type: 'string' } }, allowPositionals: true });
  const times = Number(values.times ?? 50);
  const names = positionals.length ? positionals : DEFAULT_HISTORIES;
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const bundle = await workflowBundle(ROOT);
  console.log('history                          events  JSON KiB  ms per replay');
  for (const name of names) {
    const text = readFileSync(join(ROOT, 'test/histories', `${name}.json`), 'utf8');
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(text));
    const run = async (n: number, tag: string) => {
      const histories = Array.from({ length: n }, (_, i) => ({ workflowId: `${name}-${tag}-${i}`, history }));
      const t0 = performance.now();
      for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
        if (r.error) throw new Error(`${r.workflowId}: ${r.error.message}`);
      }
      return performance.now() - t0;
    };
    await run(5, 'warm');
    const ms = await run(times, 'timed');
    console.log(`${name.padEnd(32)} ${String(history.events?.length ?? 0).padStart(6)} ${(text.length / 1024).toFixed(0).padStart(8)}   ${(ms / times).toFixed(1)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
