import { Body, Controller, Param, Post } from '@nestjs/common';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DefinitionStore } from '@reform/persistence';
import { PlanService } from '@reform/plans';
import { standardProcedure } from '@reform/procedures';
import { Inject } from '@nestjs/common';
import { CONTROLLERS } from '../../apps/api/src/create-api';
import { ApiDeps, DEPS } from '../../apps/api/src/deps';
import { Harness } from '../support/harness';
import { call, leaks, startTestApi, TestApi } from './support';

/** Until the plan endpoints exist (the lead adds them): an action through PlanService, as they will take it. */
@Controller('test/plans')
class ActProbe {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  @Post(':id/act')
  act(@Param('id') id: string, @Body() body: { action: string; role: string }) {
    return this.deps.plans!.act(id, body);
  }
}

describe('health, and a refused action, on the real Temporal test server', () => {
  let h: Harness;
  let api: TestApi;
  let temporalUp = true;

  beforeAll(async () => {
    h = await Harness.create();
    api = await startTestApi({
      options: { healthTimeoutMs: 3000 },
      controllers: [...CONTROLLERS, ActProbe],
      deps: {
        temporal: { client: h.env.client, namespace: h.env.client.options.namespace, taskQueue: h.taskQueue },
        plans: new PlanService(h.env.client, h.taskQueue, new DefinitionStore(h.db.ds), SHIPPED_HOLIDAYS, h.letters),
      },
    });
  });
  afterAll(async () => {
    await api.close();
    if (temporalUp) await h.close();
    else await h.db.drop();
  });

  it('409: the engine refuses an action out of turn, with its Chinese reason, its code and the rule ids', async () => {
    const handle = await h.start(standardProcedure('reform_plan'));
    // A plan in drafting cannot pass the legality review (合法合规性审查, A8 in rules/standard/reform-plan.rules):
    // drafting (方案起草, A5) and research (调查研究, A6) come first, and the engine cites them.
    const r = await call(api, 'POST', `/api/test/plans/${handle.workflowId}/act`, { body: { action: 'pass_legality_review', role: 'legal_office' } });
    expect(r.status).toBe(409);
    expect(leaks(r.text)).toEqual([]);
    expect(r.json.error).toEqual(
      expect.objectContaining({
        status: 409,
        code: 'action_refused',
        message: expect.stringContaining('须先完成'),
        reasons: [expect.objectContaining({ code: 'wrong_stage', message: expect.stringContaining('合法合规性审查'), rules: expect.arrayContaining(['A8', 'A5', 'A6']) })],
      }),
    );
    // Taken in turn, the same path answers 200.
    const ok = await call(api, 'POST', `/api/test/plans/${handle.workflowId}/act`, { body: { action: 'submit_draft', role: 'lead_unit' } });
    expect(ok.status).toBe(201);
  });

  it('200 with the database and Temporal up (the test server does not describe task queues: the worker cannot be confirmed there)', async () => {
    const r = await call(api, 'GET', '/api/health');
    expect(r.json).toEqual({
      status: 'ok',
      message: '数据库、Temporal 与工作进程均正常',
      checks: { database: { ok: true, message: '正常' }, temporal: { ok: true, message: '正常' }, worker: { ok: true, message: '该 Temporal 服务器不提供任务队列信息,无法确认工作进程' } },
    });
    expect(r.status).toBe(200);
  });

  it('503 saying what is down once the Temporal server is stopped, health and readiness alike', async () => {
    await h.stopWorker();
    await h.env.teardown();
    temporalUp = false;
    const r = await call(api, 'GET', '/api/health');
    expect(r.status).toBe(503);
    expect(r.json).toEqual(
      expect.objectContaining({
        status: 'down',
        message: '不可用:Temporal(无法连接);工作进程(Temporal 不可用,无法确认)',
        checks: expect.objectContaining({ database: { ok: true, message: '正常' }, temporal: expect.objectContaining({ ok: false }) }),
      }),
    );
    // Not ready either: a load balancer takes this process out while it cannot reach Temporal.
    const ready = await call(api, 'GET', '/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({
      status: 'not_ready',
      message: '暂不能接收请求:Temporal(无法连接)',
      checks: { database: { ok: true, message: '正常' }, temporal: { ok: false, message: '无法连接' } },
    });
    expect(leaks(ready.text)).toEqual([]);
  });
});
