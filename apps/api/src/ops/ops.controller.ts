import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { taskQueuePollers } from '@reform/plans';
import { z } from 'zod';
import { ApiDeps, ApiOptions, DEPS, OPTIONS } from '../deps';
import type { Res as Response } from '../http';

const CheckSchema = z.object({ ok: z.boolean(), message: z.string() });
export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    message: z.string(),
    checks: z.object({ database: CheckSchema, temporal: CheckSchema, worker: CheckSchema }),
  })
  .meta({ id: 'Health' });
type Health = z.infer<typeof HealthSchema>;
export const ReadySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    message: z.string(),
    checks: z.object({ database: CheckSchema, temporal: CheckSchema }),
  })
  .meta({ id: 'Ready' });
type Ready = z.infer<typeof ReadySchema>;
type Check = z.infer<typeof CheckSchema>;

class TimedOut extends Error {}

async function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('运维')
@SkipThrottle()
@Controller()
export class OpsController {
  constructor(
    @Inject(DEPS) private readonly deps: ApiDeps,
    @Inject(OPTIONS) private readonly options: Required<ApiOptions>,
  ) {}

  @Get('health')
  @ApiOperation({ summary: '健康检查:数据库、Temporal、工作进程' })
  @ApiResponse({ status: 200, description: '一切正常', standardSchema: HealthSchema })
  @ApiResponse({ status: 503, description: '有部分不可用,message 说明哪部分', standardSchema: HealthSchema })
  async health(@Res() res: Response): Promise<void> {
    const body = await this.check();
    res.statusCode = body.status === 'ok' ? 200 : 503;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(body));
  }

  /**
   * Readiness for a load balancer: whether this process can serve requests, i.e. its database
   * and Temporal answer. Unlike health it does not ask whether a worker polls: with no worker
   * every API process would leave the pool, though reads and sign-ins still work.
   */
  @Get('ready')
  @ApiOperation({ summary: '就绪检查(供负载均衡):本进程的数据库与 Temporal 是否可用;不看工作进程' })
  @ApiResponse({ status: 200, description: '可以接收请求', standardSchema: ReadySchema })
  @ApiResponse({ status: 503, description: '暂不能接收请求,message 说明原因', standardSchema: ReadySchema })
  async ready(@Res() res: Response): Promise<void> {
    const ms = this.options.healthTimeoutMs;
    const [database, [temporal]] = await Promise.all([this.database(ms), this.temporal(ms)]);
    const down = [['数据库', database], ['Temporal', temporal]].filter(([, c]) => !(c as Check).ok) as Array<[string, Check]>;
    const body: Ready = {
      status: down.length ? 'not_ready' : 'ready',
      message: down.length ? `暂不能接收请求:${down.map(([name, c]) => `${name}(${c.message})`).join(';')}` : '数据库与 Temporal 均可用,可以接收请求',
      checks: { database, temporal },
    };
    res.statusCode = down.length ? 503 : 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(body));
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus 指标' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus 文本格式', schema: { type: 'string' } })
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() res: Response): Promise<void> {
    const text = await this.deps.metrics.registry.metrics();
    res.statusCode = 200;
    res.setHeader('Content-Type', this.deps.metrics.registry.contentType);
    res.end(text);
  }

  private async check(): Promise<Health> {
    const ms = this.options.healthTimeoutMs;
    const [database, [temporal, worker]] = await Promise.all([this.database(ms), this.temporal(ms)]);
    const down = [['数据库', database], ['Temporal', temporal], ['工作进程', worker]].filter(([, c]) => !(c as Check).ok) as Array<[string, Check]>;
    return {
      status: down.length ? 'down' : 'ok',
      message: down.length ? `不可用:${down.map(([name, c]) => `${name}(${c.message})`).join(';')}` : '数据库、Temporal 与工作进程均正常',
      checks: { database, temporal, worker },
    };
  }

  private async database(ms: number): Promise<Check> {
    try {
      await within(ms, () => this.deps.db.query('SELECT 1'));
      return { ok: true, message: '正常' };
    } catch (e) {
      this.deps.log({ level: 'warn', msg: 'health: database', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      return { ok: false, message: e instanceof TimedOut ? `${ms / 1000} 秒内无应答` : '无法查询数据库' };
    }
  }

  /** Temporal answers, and a worker has polled the task queue lately (Temporal lists pollers of the last minutes). */
  private async temporal(ms: number): Promise<[Check, Check]> {
    const t = this.deps.temporal;
    if (!t) return [{ ok: false, message: '未配置 Temporal' }, { ok: false, message: '未配置 Temporal' }];
    let pollers: number | null;
    try {
      pollers = await within(ms, () => taskQueuePollers(t.client, t.namespace, t.taskQueue, ms));
    } catch (e) {
      this.deps.log({ level: 'warn', msg: 'health: Temporal', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      const reason = e instanceof TimedOut ? `${ms / 1000} 秒内无应答` : '无法连接';
      return [{ ok: false, message: reason }, { ok: false, message: 'Temporal 不可用,无法确认' }];
    }
    // It answered, so it is up; it only does not describe task queues (the time-skipping test server).
    if (pollers === null) return [{ ok: true, message: '正常' }, { ok: true, message: '该 Temporal 服务器不提供任务队列信息,无法确认工作进程' }];
    return [
      { ok: true, message: '正常' },
      pollers ? { ok: true, message: `${pollers} 个工作进程在取任务` } : { ok: false, message: `任务队列 ${t.taskQueue} 近期没有工作进程取任务` },
    ];
  }
}
