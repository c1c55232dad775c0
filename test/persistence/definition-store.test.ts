import type { ProcessDefinition } from '@reform/definitions';
import { DefinitionConflictError, DefinitionEntity, DefinitionStore } from '@reform/persistence';
import { STANDARD_PROCEDURE_IDS } from '@reform/platform';
import { standardProcedures } from '@reform/procedures';
import { DB_KINDS, TestDatabase, testDatabase } from '../support/db';

const standard = (id: string): ProcessDefinition => {
  const def = standardProcedures().find((d) => d.id === id);
  if (!def) throw new Error(`no standard procedure ${id}`);
  return structuredClone(def);
};

const JAN = new Date('2026-01-05T02:00:00.000Z');
const FEB = new Date('2026-02-10T02:00:00.000Z');

describe.each(DB_KINDS)('DefinitionStore on %s', (kind) => {
  let db: TestDatabase;
  let store: DefinitionStore;
  beforeEach(async () => {
    db = await testDatabase(kind);
    store = new DefinitionStore(db.ds);
  });
  afterEach(async () => {
    await db.drop();
  });

  const rows = () => db.ds.getRepository(DefinitionEntity).find({ order: { procedureId: 'ASC', version: 'ASC' } });

  it('publishes the standard procedures; latest, get and list read them back', async () => {
    const defs = standardProcedures();
    expect(defs.map((d) => d.id).sort()).toEqual([...STANDARD_PROCEDURE_IDS].sort());
    for (const d of defs) expect(await store.publish(d, JAN)).toBe('published');

    for (const d of defs) {
      expect(await store.latest(d.id)).toEqual(d);
      expect(await store.get(d.id, d.version)).toEqual(d);
    }
    expect(await store.get('reform_plan', 2)).toBeNull();
    expect(await store.latest('no_such_procedure')).toBeNull();
    expect(await store.list()).toEqual([
      { procedureId: 'blocked_reform', version: 1, title: '受阻改革月度调度', publishedAt: JAN.toISOString() },
      { procedureId: 'central_integration', version: 1, title: '中央改革方案对接', publishedAt: JAN.toISOString() },
      { procedureId: 'leader_led', version: 1, title: '领导领衔改革', publishedAt: JAN.toISOString() },
      { procedureId: 'pilot', version: 1, title: '改革试点', publishedAt: JAN.toISOString() },
      { procedureId: 'problem', version: 1, title: '问题整改', publishedAt: JAN.toISOString() },
      { procedureId: 'reform_plan', version: 1, title: '改革方案', publishedAt: JAN.toISOString() },
      { procedureId: 'self_inspection', version: 1, title: '年中集中督察自查', publishedAt: JAN.toISOString() },
    ]);
    // The stored body is the checked definition, Chinese text intact.
    const stored = (await rows()).find((r) => r.procedureId === 'reform_plan');
    expect(stored?.body).toContain('登记或更新具体改革事项');
    expect(JSON.parse(stored?.body ?? 'null')).toEqual(standard('reform_plan'));
  });

  it('treats re-publishing the identical definition as unchanged', async () => {
    expect(await store.publish(standard('pilot'), JAN)).toBe('published');
    expect(await store.publish(standard('pilot'), FEB)).toBe('unchanged');
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0].publishedAt).toBe(JAN.toISOString());
  });

  it('refuses a different body under a published id and version, changing nothing', async () => {
    const v1 = standard('reform_plan');
    await store.publish(v1, JAN);
    const before = await rows();

    const altered = standard('reform_plan');
    altered.title = '改革方案(修订)';
    altered.stages[0].label = '起草方案(修订)';
    await expect(store.publish(altered, FEB)).rejects.toBeInstanceOf(DefinitionConflictError);
    await expect(store.publish(altered, FEB)).rejects.toThrow(/reform_plan.*第1版已发布且内容不同/);

    expect(await rows()).toEqual(before);
    expect(await store.latest('reform_plan')).toEqual(v1);
    expect(await store.list()).toEqual([{ procedureId: 'reform_plan', version: 1, title: '改革方案', publishedAt: JAN.toISOString() }]);
  });

  it('makes v2 the latest while v1 stays readable', async () => {
    const v1 = standard('reform_plan');
    const v2 = standard('reform_plan');
    v2.version = 2;
    v2.title = '改革方案(第二版)';
    v2.stages[0].label = '起草方案(第二版)';
    expect(await store.publish(v1, JAN)).toBe('published');
    expect(await store.publish(v2, FEB)).toBe('published');

    expect(await store.latest('reform_plan')).toEqual(v2);
    expect(await store.get('reform_plan', 1)).toEqual(v1);
    expect(await store.get('reform_plan', 2)).toEqual(v2);
    expect((await store.get('reform_plan', 1))?.stages[0].label).not.toBe('起草方案(第二版)');
    expect(await store.list()).toEqual([
      { procedureId: 'reform_plan', version: 1, title: '改革方案', publishedAt: JAN.toISOString() },
      { procedureId: 'reform_plan', version: 2, title: '改革方案(第二版)', publishedAt: FEB.toISOString() },
    ]);
    // Re-publishing v1 after v2 is still a no-op and does not change which is latest.
    expect(await store.publish(v1, FEB)).toBe('unchanged');
    expect((await store.latest('reform_plan'))?.version).toBe(2);
  });

  it('orders versions numerically (v10 is later than v9)', async () => {
    for (const version of [9, 10, 2]) {
      const d = standard('pilot');
      d.version = version;
      d.title = `改革试点 第${version}版`;
      await store.publish(d, JAN);
    }
    expect((await store.latest('pilot'))?.version).toBe(10);
    expect((await store.list()).map((r) => r.version)).toEqual([2, 9, 10]);
  });

  it('refuses an invalid definition with the field path in the message, storing nothing', async () => {
    const broken = standard('reform_plan');
    const stageIndex = broken.stages.findIndex((s) => s.actions.length > 0);
    broken.stages[stageIndex].actions[0].to = 'no_such_stage';
    const path = `stages[${stageIndex}].actions[0].to`;
    await expect(store.publish(broken, JAN)).rejects.toThrow(path);
    await expect(store.publish(broken, JAN)).rejects.toThrow('未定义的阶段「no_such_stage」');
    await expect(store.publish(broken, JAN)).rejects.not.toBeInstanceOf(DefinitionConflictError);

    const badShape = standard('pilot');
    badShape.source = 'X1';
    await expect(store.publish(badShape, JAN)).rejects.toThrow(/^source: /);

    expect(await rows()).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});
