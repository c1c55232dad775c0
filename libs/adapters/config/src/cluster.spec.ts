import { loadClusterConfig } from './cluster';
import { loadConfig } from './config';

describe('loadClusterConfig', () => {
  it('has a cluster under <data dir>/cluster on the local PostgreSQL, 4 shards, 2 APIs and 3 workers, ports from 17200', () => {
    const c = loadClusterConfig({}, '/srv/reform');
    expect(c.dir).toBe('/srv/reform/.data/cluster');
    expect(c.dataDir).toBe('/srv/reform/.data/cluster/data');
    expect(c.postgres).toEqual({ host: '127.0.0.1', port: 5432, user: 'reform', password: 'reform' });
    expect(c.databases).toEqual({ temporal: 'reform_cluster_temporal', visibility: 'reform_cluster_visibility', product: 'reform_cluster' });
    expect([c.shards, c.apis, c.workers]).toEqual([4, 2, 3]);
    expect(c.ports.apis).toEqual([17200, 17201]);
    expect(c.ports.temporal).toEqual({
      frontend: { grpc: 17233, membership: 17263, metrics: 17273, http: 17243 },
      history: { grpc: 17234, membership: 17264, metrics: 17274 },
      matching: { grpc: 17235, membership: 17265, metrics: 17275 },
      worker: { grpc: 17239, membership: 17269, metrics: 17279 },
    });
    expect(c.ports.ui).toBe(17280);
  });

  it('takes every setting from the environment, and no two ports are the same', () => {
    const c = loadClusterConfig(
      {
        REFORM_DATA_DIR: '/var/reform',
        REFORM_CLUSTER_DIR: 'cl',
        REFORM_CLUSTER_POSTGRES: 'postgres://tp%40x:p%3Aw@db.example:6543',
        REFORM_CLUSTER_DB_PREFIX: 'prov_a',
        REFORM_CLUSTER_SHARDS: '16',
        REFORM_CLUSTER_APIS: '20',
        REFORM_CLUSTER_WORKERS: '5',
        REFORM_CLUSTER_PORT_BASE: '20000',
      },
      '/srv/reform',
    );
    expect(c.dir).toBe('/srv/reform/cl');
    expect(c.postgres).toEqual({ host: 'db.example', port: 6543, user: 'tp@x', password: 'p:w' });
    expect(c.databases).toEqual({ temporal: 'prov_a_temporal', visibility: 'prov_a_visibility', product: 'prov_a' });
    expect([c.shards, c.apis, c.workers]).toEqual([16, 20, 5]);
    const ports = [...c.ports.apis, ...Object.values(c.ports.temporal).flatMap((p) => Object.values(p)), c.ports.ui];
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.max(...ports)).toBeLessThanOrEqual(20099);
    expect(c.ports.apis[19]).toBe(20019);
  });

  it.each([
    [{ REFORM_CLUSTER_PORT_BASE: '40000' }, 'REFORM_CLUSTER_PORT_BASE 最多为 32668(集群用其后 100 个端口,Temporal 在 PostgreSQL 中以 smallint 记成员端口,不能超过 32767)'],
    [{ REFORM_CLUSTER_SHARDS: '0' }, 'REFORM_CLUSTER_SHARDS 至少为 1'],
    [{ REFORM_CLUSTER_WORKERS: '2.5' }, 'REFORM_CLUSTER_WORKERS 应为整数'],
    [{ REFORM_CLUSTER_DB_PREFIX: 'Reform-x' }, 'REFORM_CLUSTER_DB_PREFIX 应以小写字母开头'],
    [{ REFORM_CLUSTER_POSTGRES: 'postgres://reform:reform@127.0.0.1:5432/reform' }, 'REFORM_CLUSTER_POSTGRES 应为 postgres://用户:密码@主机:端口(不带库名)'],
  ])('refuses %j in Chinese, naming the variable', (env, message) => {
    expect(() => loadClusterConfig(env, '/srv/reform')).toThrow(message);
  });
});

describe('loadConfig: REFORM_DB_MIGRATE', () => {
  it('migrates on opening unless told to check only', () => {
    expect(loadConfig({}, '/srv/reform').database.migrations).toBe('run');
    expect(loadConfig({ REFORM_DB_MIGRATE: 'check' }, '/srv/reform').database.migrations).toBe('check');
    expect(() => loadConfig({ REFORM_DB_MIGRATE: 'later' }, '/srv/reform')).toThrow('REFORM_DB_MIGRATE 应为 run(启动时执行待执行的迁移)或 check(有待执行的迁移时拒绝启动)');
  });
});
