import { EventEmitter } from 'node:events';
import { Child, restartDelay, Supervisor } from './supervisor';

/** A child process that exits when told to, as a real one would. */
class FakeChild extends EventEmitter implements Child {
  signals: NodeJS.Signals[] = [];
  exited = false;
  constructor(
    readonly pid: number | undefined,
    private readonly ignores: NodeJS.Signals[] = [],
  ) {
    super();
  }
  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (this.exited || this.ignores.includes(signal)) return !this.exited;
    this.die(null, signal);
    return true;
  }
  die(code: number | null, signal: NodeJS.Signals | null) {
    this.exited = true;
    this.emit('exit', code, signal);
  }
}

describe('restartDelay', () => {
  it('doubles from the base for each death in a row and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => restartDelay(n, 1_000, 30_000))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('Supervisor', () => {
  let clock: number;
  let children: FakeChild[];
  let log: string[];
  let ignores: NodeJS.Signals[];

  const supervisor = () =>
    new Supervisor({
      spawn: () => {
        const c = new FakeChild(100 + children.length, ignores);
        children.push(c);
        return c;
      },
      log: (l) => log.push(l),
      now: () => clock,
    });
  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    children = [];
    log = [];
    ignores = [];
  });
  afterEach(() => jest.useRealTimers());

  it('restarts a child killed by a signal (exit code null), after a second, and says so', () => {
    const s = supervisor();
    s.start();
    expect(log).toEqual(['工作进程已启动(pid 100)']);
    advance(5_000);
    children[0].die(null, 'SIGKILL');
    expect(log[1]).toBe('工作进程意外退出(被信号 SIGKILL 终止),1 秒后重启');
    advance(999);
    expect(children).toHaveLength(1);
    advance(1);
    expect(children).toHaveLength(2);
    expect(log[2]).toBe('工作进程已重启(第 1 次,pid 101)');
    expect(s.pid).toBe(101);
  });

  it('backs off exponentially, to 30 seconds, for a child that dies right at start-up', () => {
    const s = supervisor();
    s.start();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      children[children.length - 1].die(1, null);
      const before = children.length;
      let waited = 0;
      while (children.length === before) {
        advance(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(log).toContain('工作进程意外退出(退出码 1),30 秒后重启');
  });

  it('a child that ran a healthy while before dying is restarted quickly again', () => {
    const s = supervisor();
    s.start();
    for (let i = 0; i < 4; i++) {
      children[children.length - 1].die(1, null);
      advance(30_000);
    }
    expect(log[log.length - 2]).toBe('工作进程意外退出(退出码 1),8 秒后重启');
    advance(60_000);
    children[children.length - 1].die(null, 'SIGKILL');
    expect(log[log.length - 1]).toBe('工作进程意外退出(被信号 SIGKILL 终止),1 秒后重启');
  });

  it('stop() interrupts the child, and does not restart it', async () => {
    const s = supervisor();
    s.start();
    await s.stop();
    expect(children[0].signals).toEqual(['SIGINT']);
    advance(60_000);
    expect(children).toHaveLength(1);
  });

  it('stop() kills a child that ignores SIGINT after five seconds', async () => {
    ignores = ['SIGINT'];
    const s = supervisor();
    s.start();
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    advance(4_999);
    await Promise.resolve();
    expect(stopped).toBe(false);
    advance(1);
    await stopping;
    expect(children[0].signals).toEqual(['SIGINT', 'SIGKILL']);
  });

  it('stop() while a restart is pending cancels it and returns at once', async () => {
    const s = supervisor();
    s.start();
    children[0].die(null, 'SIGKILL');
    await s.stop();
    advance(60_000);
    expect(children).toHaveLength(1);
    expect(children[0].signals).toEqual([]);
  });

  it('a child that cannot be spawned counts as a death and is retried', () => {
    const s = new Supervisor({
      spawn: () => {
        const c = new FakeChild(children.length ? 200 : undefined);
        children.push(c);
        return c;
      },
      log: (l) => log.push(l),
      now: () => clock,
    });
    s.start();
    children[0].emit('error', new Error('spawn ENOENT'));
    expect(log).toEqual(['工作进程无法启动:spawn ENOENT', '工作进程意外退出(未能启动),1 秒后重启']);
    advance(1_000);
    expect(log[2]).toBe('工作进程已重启(第 1 次,pid 200)');
  });

  it('kill() kills the child outright and restarts nothing', () => {
    const s = supervisor();
    s.start();
    s.kill();
    advance(60_000);
    expect(children).toHaveLength(1);
    expect(children[0].signals).toEqual(['SIGKILL']);
  });
});
