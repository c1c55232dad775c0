import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { TestDatabase } from './db';
import { ROOT } from './temporal';

export type DeskEvent = { pid: number } & ({ type: 'ready' } | { type: 'crash'; after: 'start' | 'act'; workflowId: string } | { type: 'done'; result: unknown } | { type: 'error'; message: string });

/**
 * Runs one desk call in an API process of its own (crash-desk.ts) that SIGKILLs itself right
 * after the engine answered (`dieAfter`: the n-th start or Update): answers what it said and how it ended.
 */
export async function runDeskProcess(o: {
  address: string;
  taskQueue: string;
  db: TestDatabase;
  now: number;
  evidenceDir: string;
  call: { desk: 'problems' | 'rounds' | 'deliberation'; method: string; args: unknown[] };
  dieAfter?: string;
}): Promise<{ events: DeskEvent[]; code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const database = o.db.options.url ? { DATABASE_URL: o.db.options.url } : { REFORM_DATA_DIR: dirname(o.db.options.sqlitePath), DATABASE_URL: '' };
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'crash-desk.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
      TEMPORAL_ADDRESS: o.address,
      TEMPORAL_TASK_QUEUE: o.taskQueue,
      REFORM_TEST_NOW: String(o.now),
      REFORM_TEST_EVIDENCE_DIR: o.evidenceDir,
      REFORM_TEST_DESK_CALL: JSON.stringify(o.call),
      REFORM_TEST_DIE_AFTER: o.dieAfter ?? '',
      ...database,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: DeskEvent[] = [];
  let output = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      try {
        events.push(JSON.parse(line) as DeskEvent);
      } catch {
        output += `${line}\n`;
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (c, s) => resolve({ code: c, signal: s })));
  return { events, code, signal, output };
}
