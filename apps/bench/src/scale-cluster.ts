import { ClusterConfig } from '@reform/config';
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { Fault, ScaleOptions } from './scale-options';
import { sleep } from './stats';

/** `reform cluster …` in its own process, as an operator runs it, on the bench's own cluster. */
export class ClusterControl {
  /** `up` and `down` take the cluster's lock: one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
    readonly config: ClusterConfig,
  ) {}

  run(args: string[], timeoutMs = 900_000): Promise<{ status: number | null; out: string }> {
    const go = () =>
      new Promise<{ status: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(this.root, 'bin/reform.js'), 'cluster', ...args], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', (status) => {
          clearTimeout(timer);
          resolve({ status, out });
        });
      });
    const next = this.queue.then(go, go);
    this.queue = next;
    return next;
  }

  /** `up`, which also restarts what died; throws with its output when it fails. */
  async up(): Promise<string> {
    const r = await this.run(['up']);
    if (r.status !== 0) throw new Error(`reform cluster up failed (${r.status}):\n${r.out}`);
    return r.out;
  }

  async status(): Promise<Array<{ name: string; kind: string; pid?: number; running: boolean; answering: boolean; rssBytes?: number }>> {
    const r = await this.run(['status', '--json'], 120_000);
    return (JSON.parse(r.out) as { members: Array<{ name: string; kind: string; pid?: number; running: boolean; answering: boolean; rssBytes?: number }> }).members;
  }

  private admin(): PgClient {
    const p = this.config.postgres;
    return new PgClient({ host: p.host, port: p.port, user: p.user, password: p.password, database: 'postgres' });
  }

  /** Bytes of the cluster's three databases. */
  async databaseSizes(): Promise<Record<'temporal' | 'visibility' | 'product', number>> {
    const admin = this.admin();
    await admin.connect();
    try {
      const d = this.config.databases;
      const r = await admin.query('SELECT datname, pg_database_size(datname)::bigint AS size FROM pg_database WHERE datname = ANY($1)', [[d.temporal, d.visibility, d.product]]);
      const size = (name: string) => Number((r.rows as Array<{ datname: string; size: string }>).find((x) => x.datname === name)?.size ?? 0);
      return { temporal: size(d.temporal), visibility: size(d.visibility), product: size(d.product) };
    } finally {
      await admin.end();
    }
  }

  /** Live rows by table in each of the three databases (exact counts: the tables are small enough at bench scale). */
  async tableRows(): Promise<Record<'temporal' | 'visibility' | 'product', Record<string, number>>> {
    const p = this.config.postgres;
    const d = this.config.databases;
    const out = { temporal: {}, visibility: {}, product: {} } as Record<'temporal' | 'visibility' | 'product', Record<string, number>>;
    for (const db of ['temporal', 'visibility', 'product'] as const) {
      const client = new PgClient({ host: p.host, port: p.port, user: p.user, password: p.password, database: d[db] });
      await client.connect();
      try {
        const tables = (await client.query(`SELECT schemaname, relname FROM pg_stat_user_tables`)).rows as Array<{ schemaname: string; relname: string }>;
        for (const t of tables) {
          const r = await client.query(`SELECT count(*)::bigint AS n FROM "${t.schemaname}"."${t.relname}"`);
          out[db][t.relname] = Number((r.rows as Array<{ n: string }>)[0].n);
        }
      } finally {
        await client.end();
      }
    }
    return out;
  }

  async dropDatabases(): Promise<void> {
    const admin = this.admin();
    await admin.connect();
    try {
      const d = this.config.databases;
      for (const db of [d.temporal, d.visibility, d.product]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

export interface FaultEvent {
  fault: Fault;
  /** ISO time the fault began and the moment the cluster had the process (or PostgreSQL) back. */
  at: string;
  backAt?: string;
  target: string;
  error?: string;
}

function execOk(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, { timeout: 120_000 }, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve())));
}

/** pg_ctlcluster's version and name: the option's, or the newest version in /etc/postgresql with `main`. */
export function postgresCluster(opt?: string): [string, string] {
  if (opt) return opt.split('/') as [string, string];
  const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error('no PostgreSQL cluster under /etc/postgresql: pass --postgres-cluster or --faults without postgres');
  return [versions[versions.length - 1], 'main'];
}

/**
 * The faults of a run, while `running()` says the load goes on: a worker SIGKILLed every
 * `killEverySeconds` (and `up` starts it again), the history service stopped and started once at
 * a third of `expectedMs`, PostgreSQL stopped for `postgresDownSeconds` once at two thirds.
 * PostgreSQL is always started again, also when the run fails (`restorePostgres`).
 */
export class Faults {
  readonly events: FaultEvent[] = [];
  private postgresStopped = false;
  private loops: Array<Promise<void>> = [];
  private stopped = false;

  constructor(
    private readonly cluster: ClusterControl,
    private readonly opts: ScaleOptions,
    private readonly log: (line: string) => void,
  ) {}

  start(progress: () => number): void {
    if (this.opts.faults.has('worker')) this.loops.push(this.killWorkers());
    if (this.opts.faults.has('history')) this.loops.push(this.when(progress, 1 / 3, () => this.restartHistory()));
    if (this.opts.faults.has('postgres')) this.loops.push(this.when(progress, 2 / 3, () => this.stopPostgres()));
  }

  /** Ends the faults and waits for the one under way; faults not yet due are left out. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async when(progress: () => number, share: number, fault: () => Promise<void>): Promise<void> {
    while (!this.stopped && progress() < share) await sleep(500);
    if (!this.stopped) await fault();
  }

  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) await sleep(250);
  }

  private async killWorkers(): Promise<void> {
    let round = 0;
    for (;;) {
      await this.pause(this.opts.killEverySeconds * 1000);
      if (this.stopped) return;
      const workers = (await this.cluster.status()).filter((m) => m.kind === 'worker' && m.running && m.pid);
      if (!workers.length) continue;
      const victim = workers[round++ % workers.length];
      const event: FaultEvent = { fault: 'worker', at: new Date().toISOString(), target: `${victim.name} (pid ${victim.pid})` };
      this.events.push(event);
      try {
        process.kill(victim.pid!, 'SIGKILL');
        this.log(`fault: SIGKILL ${event.target}`);
        await sleep(2_000);
        await this.cluster.up();
        event.backAt = new Date().toISOString();
        this.log(`fault: ${victim.name} restarted by reform cluster up`);
      } catch (e) {
        event.error = e instanceof Error ? e.message : String(e);
      }
    }
  }

  private async restartHistory(): Promise<void> {
    const history = (await this.cluster.status()).find((m) => m.name === 'temporal-history');
    const event: FaultEvent = { fault: 'history', at: new Date().toISOString(), target: `temporal-history (pid ${history?.pid})` };
    this.events.push(event);
    try {
      if (!history?.pid || !history.running) throw new Error('temporal-history is not running');
      process.kill(history.pid, 'SIGTERM');
      for (let i = 0; i < 120 && isRunning(history.pid); i++) await sleep(250);
      if (isRunning(history.pid)) process.kill(history.pid, 'SIGKILL');
      this.log('fault: temporal-history stopped; reform cluster up starts it again');
      await this.cluster.up();
      event.backAt = new Date().toISOString();
    } catch (e) {
      event.error = e instanceof Error ? e.message : String(e);
    }
  }

  private async stopPostgres(): Promise<void> {
    const [version, name] = postgresCluster(this.opts.postgresCluster);
    const event: FaultEvent = { fault: 'postgres', at: new Date().toISOString(), target: `PostgreSQL ${version}/${name}` };
    this.events.push(event);
    try {
      this.postgresStopped = true;
      await execOk('pg_ctlcluster', [version, name, 'stop', '--', '-m', 'fast']);
      this.log(`fault: PostgreSQL ${version}/${name} stopped for ${this.opts.postgresDownSeconds} s`);
      await sleep(this.opts.postgresDownSeconds * 1000);
    } catch (e) {
      event.error = e instanceof Error ? e.message : String(e);
    } finally {
      await this.restorePostgres();
      event.backAt = new Date().toISOString();
    }
  }

  /** Starts PostgreSQL again when this run stopped it. */
  async restorePostgres(): Promise<void> {
    if (!this.postgresStopped) return;
    const [version, name] = postgresCluster(this.opts.postgresCluster);
    for (let attempt = 1; ; attempt++) {
      try {
        await execOk('pg_ctlcluster', [version, name, 'start']);
        this.postgresStopped = false;
        this.log(`PostgreSQL ${version}/${name} started again`);
        return;
      } catch (e) {
        // Already running counts as started.
        if (/already running/i.test(e instanceof Error ? e.message : '')) {
          this.postgresStopped = false;
          return;
        }
        if (attempt >= 5) throw e;
        await sleep(2_000);
      }
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
