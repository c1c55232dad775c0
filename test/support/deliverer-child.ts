// A process that runs only the letters' outbox deliverer, for crash tests: configured from the
// environment as the worker is (DATABASE_URL or REFORM_DATA_DIR, REFORM_NOTIFY_URL), with a short
// lease and quick retries a test sets:
//   REFORM_TEST_OUTBOX_LEASE_MS, REFORM_TEST_OUTBOX_BATCH
// It writes one JSON line {"type":"ready"} when it runs. Started by outbox.test.ts; never imported.
import { OutboxDeliverer } from '@reform/activities';
import { loadConfig } from '@reform/config';
import { openDatabase } from '@reform/persistence';
import { writeSync } from 'node:fs';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd());
  const db = await openDatabase(config.database);
  const deliverer = new OutboxDeliverer(db, {
    url: config.letters.notifyUrl,
    owner: `deliverer-child:${process.pid}`,
    leaseMs: Number(process.env.REFORM_TEST_OUTBOX_LEASE_MS ?? 2000),
    batch: Number(process.env.REFORM_TEST_OUTBOX_BATCH ?? 5),
    timeoutMs: 5000,
    pollMs: 50,
    backoffMs: 50,
    maxBackoffMs: 200,
  });
  deliverer.start();
  writeSync(1, `${JSON.stringify({ type: 'ready', pid: process.pid })}\n`);
  process.once('SIGTERM', () => {
    void deliverer.stop().then(() => db.destroy()).then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  writeSync(1, `${JSON.stringify({ type: 'error', message: e instanceof Error ? e.message : String(e) })}\n`);
  process.exit(1);
});
