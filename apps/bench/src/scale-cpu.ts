import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CPU time of the cluster's processes over the load, by kind, in ms. */
export interface CpuFigures {
  /** Wall time sampled (ms). */
  wallMs: number;
  /** By the cluster member's name without its number (worker, api, temporal-history, …), and `postgres` when sampled. */
  byKind: Record<string, number>;
  /** All of them. */
  totalMs: number;
  /** The bench process itself (the load generator): not part of the product's cost. */
  benchMs: number;
  /** Every CPU of the machine busy (from /proc/stat), whoever used it. */
  machineBusyMs?: number;
  /** The PostgreSQL cluster sampled (its postmaster and backends), or why not. */
  postgres: string;
  samples: number;
  /** The highest resident memory each member showed in a sample during the load (bytes). */
  peakRssBytes: Record<string, number>;
}

interface Stat {
  comm: string;
  ppid: number;
  startTime: string;
  /** utime + stime, clock ticks. */
  own: number;
  /** cutime + cstime: children that ended and were waited for. */
  children: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), ppid: Number(f[1]), startTime: f[19], own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

function residentBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function machineBusyTicks(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
    return cpu.reduce((a, b) => a + b, 0) - cpu[3] - (cpu[4] ?? 0);
  } catch {
    return undefined;
  }
}

/**
 * Samples the CPU time of the bench cluster's processes (every member in its state file, worker
 * restarts included) and of a PostgreSQL cluster of the bench's own (its postmaster, whose
 * reaped backends count in its children's time, and its live backends), every `everyMs`. A
 * process's time is its latest sample less its time when the load began (0 for one started since);
 * a process killed loses at most its last interval. Call `stop()` when the load ends.
 */
export class CpuSampler {
  private readonly tick: number;
  private readonly base = new Map<string, number>();
  private readonly latest = new Map<string, { kind: string; ticks: number }>();
  private readonly peakRss: Record<string, number> = {};
  private timer?: NodeJS.Timeout;
  private started = 0;
  private machine0?: number;
  private bench0 = process.cpuUsage();
  private samples = 0;
  private first = true;

  constructor(
    private readonly clusterDir: string,
    /** The PostgreSQL data directory whose postmaster.pid names the postmaster; undefined: PostgreSQL is not sampled. */
    private readonly postgresDataDir: string | undefined,
    private readonly postgresLabel: string,
    private readonly everyMs = 2_000,
  ) {
    let hz = 100;
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      // Linux's usual 100.
    }
    this.tick = 1000 / hz;
  }

  start(): void {
    this.started = Date.now();
    this.machine0 = machineBusyTicks();
    this.bench0 = process.cpuUsage();
    this.sample();
    this.first = false;
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): CpuFigures {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const byKind: Record<string, number> = {};
    for (const [key, { kind, ticks }] of this.latest) byKind[kind] = (byKind[kind] ?? 0) + (ticks - (this.base.get(key) ?? 0)) * this.tick;
    const machine1 = machineBusyTicks();
    const bench = process.cpuUsage(this.bench0);
    return {
      wallMs: Date.now() - this.started,
      byKind,
      totalMs: Object.values(byKind).reduce((a, b) => a + b, 0),
      benchMs: (bench.user + bench.system) / 1000,
      machineBusyMs: machine1 !== undefined && this.machine0 !== undefined ? (machine1 - this.machine0) * this.tick : undefined,
      postgres: this.postgresDataDir ? this.postgresLabel : 'not sampled (the machine’s shared PostgreSQL)',
      samples: this.samples,
      peakRssBytes: { ...this.peakRss },
    };
  }

  private see(key: string, kind: string, ticks: number): void {
    if (this.first) this.base.set(key, ticks);
    const was = this.latest.get(key);
    if (!was || ticks > was.ticks) this.latest.set(key, { kind, ticks });
  }

  private sample(): void {
    this.samples++;
    let members: Record<string, { name: string; pid: number }> = {};
    try {
      members = (JSON.parse(readFileSync(join(this.clusterDir, 'state.json'), 'utf8')) as { members?: typeof members }).members ?? {};
    } catch {
      // Being written: the next sample reads it.
    }
    for (const m of Object.values(members)) {
      const s = readStat(m.pid);
      if (!s) continue;
      this.see(`${m.pid}/${s.startTime}`, m.name.replace(/-?\d+$/, ''), s.own);
      const rss = residentBytes(m.pid);
      if (rss !== undefined && rss > (this.peakRss[m.name] ?? 0)) this.peakRss[m.name] = rss;
    }
    if (!this.postgresDataDir) return;
    let postmaster: number | undefined;
    try {
      postmaster = Number(readFileSync(join(this.postgresDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return; // stopped (the fault)
    }
    const pm = postmaster ? readStat(postmaster) : undefined;
    if (!pm) return;
    // The postmaster's own and reaped children's time plus its live children's: one figure per postmaster.
    let ticks = pm.own + pm.children;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = readStat(Number(entry));
      if (s && s.ppid === postmaster) ticks += s.own;
    }
    this.see(`postgres/${postmaster}/${pm.startTime}`, 'postgres', ticks);
  }
}
