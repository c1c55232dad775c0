import { UserError } from '@reform/config';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What kind of process a cluster member is: a Temporal service, Temporal's Web UI, an API or a worker of the product. */
export type MemberKind = 'temporal' | 'ui' | 'api' | 'worker';

/** One process of the cluster as recorded in its state file. */
export interface Member {
  name: string;
  kind: MemberKind;
  pid: number;
  /** The kernel's start time of the pid (/proc/<pid>/stat): a pid reused by another process does not count as ours. */
  startTime?: string;
  /** The port it answers on (gRPC for Temporal services, HTTP for APIs). */
  port?: number;
  log: string;
  startedAt: string;
}

/** The cluster's processes, by name, in `<cluster dir>/state.json`. */
export interface ClusterState {
  members: Record<string, Member>;
}

export const statePath = (dir: string) => join(dir, 'state.json');

export function readState(dir: string): ClusterState {
  try {
    const parsed = JSON.parse(readFileSync(statePath(dir), 'utf8')) as ClusterState;
    return { members: parsed.members ?? {} };
  } catch {
    return { members: {} };
  }
}

/** Written whole to a temporary file and renamed: a state file is never half written. */
export function writeState(dir: string, state: ClusterState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, statePath(dir));
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, …]; undefined when there is no such process or no /proc. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to tell it from a later one with the same pid. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** Whether the recorded process still runs (not a zombie, not another process that got its pid). */
export function isAlive(m: Pick<Member, 'pid' | 'startTime'>): boolean {
  const stat = procStat(m.pid);
  if (stat) return stat[0] !== 'Z' && (!m.startTime || stat[19] === m.startTime);
  if (existsSync('/proc/self/stat')) return false;
  try {
    process.kill(m.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident memory of a process in bytes (VmRSS), when it can be read. */
export function residentBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a process that outlives the command that starts it: its own process group, output
 * appended to its log file, nothing tying it to this process. Answers its pid.
 */
export function spawnDetached(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; log: string }): number {
  mkdirSync(dirname(opts.log), { recursive: true });
  const fd = openSync(opts.log, 'a');
  try {
    writeFileSync(fd, `\n==== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`无法启动 ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Sends a signal to the process's group (it leads one: spawnDetached), or to it alone when that fails. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // Gone already.
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops a member: SIGTERM, then SIGKILL when it is still there after `graceMs`. Resolves once it has gone. */
export async function stopMember(m: Member, graceMs: number): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isAlive(m)) return 'gone';
  signal(m.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(m)) return 'stopped';
    await sleep(100);
  }
  signal(m.pid, 'SIGKILL');
  while (isAlive(m)) await sleep(50);
  return 'killed';
}

/** A lock file held while one `reform cluster` command changes the cluster; a lock whose holder has gone is taken over. */
export function takeLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid} ${processStartTime(process.pid) ?? ''}`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch {
      const [pid, startTime] = readFileSync(file, 'utf8').split(' ');
      if (isAlive({ pid: Number(pid), startTime: startTime || undefined })) {
        throw new LockedError(Number(pid));
      }
      rmSync(file, { force: true });
    }
  }
  throw new LockedError(0);
}

export class LockedError extends UserError {
  constructor(readonly pid: number) {
    super(`另一个 reform cluster 命令(pid ${pid})正在操作这个集群,请等它结束`);
  }
}
