import { DELIVERY_KEY_HEADERS, OutboxDeliverer } from '@reform/activities';
import { localDateAt } from '@reform/calendar';
import type { PlanProjection } from '@reform/machine';
import { LedgerStore, LetterStore, OutboxStore } from '@reform/persistence';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';
import { ROOT } from '../support/temporal';
import { letterRequest, OFFICE } from './letter-fixtures';

/**
 * The letters' outbox (issue 9, §2): every letter written puts one row per recipient unit in the
 * outbox, in its own transaction; the deliverer sends each to a notification endpoint at least
 * once, retried with back-off, with the delivery key the receiver deduplicates on. The receiver
 * here is a local HTTP server that fails the first requests (a 500, a dropped connection) and
 * then recovers; it accepts each key once, as a robot endpoint deduplicating would.
 */

/** A notification endpoint that fails its first `failures` requests (alternately 500 and a dropped connection), then accepts each delivery key once. */
class Receiver {
  server!: Server;
  url = '';
  requests: Array<{ key: string; keyHeader2: string; body: { msgtype?: string; markdown?: { content?: string } } }> = [];
  /** Keys accepted, in order, each once (a repeat is answered 200 and dropped). */
  accepted: string[] = [];
  duplicates = 0;
  failedKeys: string[] = [];
  inFlight = new Map<string, number>();
  /** A key was being handled twice at the same moment (two deliverers sending one row). */
  overlapping: string[] = [];

  constructor(
    private failures: number,
    private readonly delayMs = 0,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/robot/send?key=test`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const key = String(req.headers[DELIVERY_KEY_HEADERS[0].toLowerCase()] ?? '');
    this.requests.push({ key, keyHeader2: String(req.headers[DELIVERY_KEY_HEADERS[1].toLowerCase()] ?? ''), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    if (this.failures > 0) {
      const n = this.failures--;
      this.failedKeys.push(key);
      if (n % 2 === 0) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errcode":-1,"errmsg":"system busy"}');
      } else {
        req.socket.destroy();
      }
      return;
    }
    if (this.inFlight.get(key)) this.overlapping.push(key);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight.set(key, this.inFlight.get(key)! - 1);
    if (this.accepted.includes(key)) this.duplicates++;
    else this.accepted.push(key);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close').catch(() => undefined);
  }
}

const NOW = Date.now();

/** The plan's ledger row, made by hand: its lead unit and special group by name and by id. */
function plan(planId: string): PlanProjection {
  return {
    planId,
    procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
    title: '关于深化营商环境改革的实施方案',
    attributes: {},
    stage: { id: 'implementing', label: '组织实施' },
    status: 'open',
    scope: { regionPath: '/sc/', leadUnitId: 'sc-ndrc', specialGroupId: 'sc-econ', participatingUnitIds: [] },
    // The names letter-fixtures' parties carry (市发展改革委 主送, 经济体制改革专项小组 抄送).
    units: { leadUnit: '市发展改革委', specialGroup: '经济体制改革专项小组', participatingUnits: [] },
    people: { leader: '王副省长', person: '张三' },
    deadlines: [],
    nextDue: null,
    overdue: false,
    items: [],
    letters: [],
    changeCounter: 1,
    updatedAt: new Date(NOW).toISOString(),
    today: localDateAt(NOW),
  };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DB_KINDS)('the letters outbox on %s', (kind) => {
  let db: TestDatabase;
  let letters: LetterStore;
  let outbox: OutboxStore;
  let receiver: Receiver | undefined;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    db = await testDatabase(kind);
    letters = new LetterStore(db.ds);
    outbox = new OutboxStore(db.ds);
    await new LedgerStore(db.ds).upsert(plan('plan-0001'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await receiver?.close();
    receiver = undefined;
    await db.drop();
  });

  /** Writes `n` letters of plan-0001 (each to the lead unit, copied to the group): the keys the receiver must end up with. */
  async function writeLetters(n: number): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const issued = await letters.issue(letterRequest(`plan-0001/filing#${i}/0`, { limitUntil: '2026-03-20' }), OFFICE);
      keys.push(`${issued.letterId}/sc-ndrc`, `${issued.letterId}/sc-econ`);
    }
    return keys.sort();
  }

  const rows = async () => (await db.ds.query(`SELECT delivery_key, state, attempts, last_error FROM letter_outbox ORDER BY delivery_key`)) as Array<{ delivery_key: string; state: string; attempts: number | string; last_error: string | null }>;

  it('writes one row per recipient unit with the letter, once: a retried letter adds none', async () => {
    const keys = await writeLetters(2);
    await letters.issue(letterRequest('plan-0001/filing#0/0'), OFFICE);
    expect((await rows()).map((r) => [r.delivery_key, r.state, Number(r.attempts)])).toEqual(keys.map((k) => [k, 'pending', 0]));
    // A plan the ledger does not hold reaches no unit: no rows.
    await letters.issue(letterRequest('plan-0002/filing#0/0', { workflowId: 'plan-0002' }), OFFICE);
    expect((await rows()).length).toBe(keys.length);
  });

  it('leaves every row pending when no endpoint is configured, and nothing fails', async () => {
    const keys = await writeLetters(2);
    const deliverer = new OutboxDeliverer(db.ds, { owner: 'test' });
    expect(deliverer.configured).toBe(false);
    expect(await deliverer.deliverDue()).toEqual({ claimed: 0, delivered: 0 });
    deliverer.start();
    await deliverer.stop();
    expect((await rows()).map((r) => [r.state, Number(r.attempts)])).toEqual(keys.map(() => ['pending', 0]));
  });

  it('delivers every letter written through failures, each key accepted once; two deliverers never send one row at once', async () => {
    const keys = await writeLetters(5);
    receiver = new Receiver(4, 30);
    await receiver.start();
    const make = (owner: string) => new OutboxDeliverer(db.ds, { url: receiver!.url, owner, batch: 3, pollMs: 20, backoffMs: 50, maxBackoffMs: 200, timeoutMs: 5000 });
    const [a, b] = [make('deliverer-a'), make('deliverer-b')];
    a.start();
    b.start();
    try {
      await until('every row delivered', async () => ((await outbox.counts()).delivered === keys.length ? true : undefined));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect([...receiver.accepted].sort()).toEqual(keys);
    expect(receiver.overlapping).toEqual([]);
    // Each request carries its key twice over (both headers) and a robot's markdown message.
    for (const r of receiver.requests) {
      expect(r.keyHeader2).toBe(r.key);
      expect(r.body.msgtype).toBe('markdown');
      expect(r.body.markdown?.content).toMatch(/改办函〔2026〕\d+号/);
      expect(r.body.markdown?.content).toContain('2026-03-20');
    }
    // The keys that failed were tried again (attempts ≥ 2, the error kept); the others went once.
    const failed = new Set(receiver.failedKeys);
    expect(failed.size).toBeGreaterThan(0);
    for (const r of await rows()) {
      expect(r.state).toBe('delivered');
      if (failed.has(r.delivery_key)) {
        expect(Number(r.attempts)).toBeGreaterThanOrEqual(2);
        expect(r.last_error).toMatch(/HTTP 500|fetch failed|socket|terminated/i);
      } else {
        expect(Number(r.attempts)).toBe(1);
        expect(receiver.requests.filter((q) => q.key === r.delivery_key).length).toBe(1);
      }
    }
    expect(receiver.requests.length).toBe((await rows()).reduce((n, r) => n + Number(r.attempts), 0));
  });

  it('loses no letter when the process delivering is SIGKILLed in the middle and started again', async () => {
    const keys = await writeLetters(10);
    receiver = new Receiver(2, 150);
    await receiver.start();
    const spawnChild = () => {
      const database = db.options.url ? { DATABASE_URL: db.options.url } : { REFORM_DATA_DIR: dirname(db.options.sqlitePath), DATABASE_URL: '' };
      const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, '../support/deliverer-child.ts')], {
        cwd: ROOT,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), REFORM_NOTIFY_URL: receiver!.url, REFORM_TEST_OUTBOX_LEASE_MS: '1500', REFORM_TEST_OUTBOX_BATCH: '4', ...database },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return child;
    };
    const first = spawnChild();
    await until('some deliveries', async () => (receiver!.accepted.length >= 3 ? true : undefined), 60_000);
    first.kill('SIGKILL');
    const [, signal] = (await once(first, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    // Killed in the middle: some letters are not delivered yet.
    expect(receiver.accepted.length).toBeLessThan(keys.length);
    expect((await outbox.counts()).pending).toBeGreaterThan(0);

    const second = spawnChild();
    await until('every row delivered after the restart', async () => ((await outbox.counts()).delivered === keys.length ? true : undefined), 60_000);
    second.kill('SIGTERM');
    await once(second, 'exit');
    // Every letter reached the receiver, each accepted once (a repeat at the wire was dropped by its key).
    expect([...receiver.accepted].sort()).toEqual(keys);
    expect((await rows()).every((r) => r.state === 'delivered')).toBe(true);
  }, 150_000);
});
