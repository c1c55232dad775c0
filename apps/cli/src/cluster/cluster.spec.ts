import { loadClusterConfig, loadConfig } from '@reform/config';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberSpecs, productEnv } from './cluster';
import { isAlive, LockedError, processStartTime, readState, takeLock, writeState } from './processes';
import { temporalDynamicConfig, temporalServiceConfig, temporalUiConfig } from './temporal-config';

const c = loadClusterConfig({ REFORM_CLUSTER_POSTGRES: 'postgres://tp:secret@db.example:6543', REFORM_CLUSTER_SHARDS: '8' }, '/srv/reform');

describe('the cluster plan', () => {
  it('starts Temporal history first (it writes the cluster metadata alone), then matching, frontend, worker; then the workers and APIs', () => {
    expect(memberSpecs(c).map((m) => [m.name, m.kind, m.port])).toEqual([
      ['temporal-history', 'temporal', 17234],
      ['temporal-matching', 'temporal', 17235],
      ['temporal-frontend', 'temporal', 17233],
      // The worker service serves no gRPC: its membership port is what listens.
      ['temporal-worker', 'temporal', 17269],
      ['temporal-ui', 'ui', 17280],
      ['worker-1', 'worker', undefined],
      ['worker-2', 'worker', undefined],
      ['worker-3', 'worker', undefined],
      ['api-1', 'api', 17200],
      ['api-2', 'api', 17201],
    ]);
    // Without its server installed, no Web UI.
    expect(memberSpecs(c, false).map((m) => m.name)).not.toContain('temporal-ui');
  });

  it('runs the product on the cluster through environment variables only, whatever the caller had set', () => {
    const env = productEnv(c, { DATABASE_URL: 'postgres://x:y@elsewhere/db', TEMPORAL_ADDRESS: 'cloud:7233', TEMPORAL_API_KEY: 'k', REFORM_API_PORT: '3000', PATH: '/usr/bin', TEMPORAL_TASK_QUEUE: 'q1' }, 17201);
    expect(env).toEqual({
      PATH: '/usr/bin',
      TEMPORAL_TASK_QUEUE: 'q1',
      DATABASE_URL: 'postgres://tp:secret@db.example:6543/reform_cluster',
      TEMPORAL_ADDRESS: '127.0.0.1:17233',
      REFORM_DATA_DIR: '/srv/reform/.data/cluster/data',
      REFORM_DB_MIGRATE: 'check',
      REFORM_API_PORT: '17201',
    });
    // The product's own configuration reads it as meant.
    const product = loadConfig(env, '/srv/reform');
    expect([product.database.url, product.database.migrations, product.temporal.address, product.temporal.external, product.api.port]).toEqual([
      'postgres://tp:secret@db.example:6543/reform_cluster',
      'check',
      '127.0.0.1:17233',
      true,
      17201,
    ]);
  });
});

describe('the Temporal services configuration', () => {
  it('puts each service on PostgreSQL with the cluster shards and every service address, its own metrics port', () => {
    const history = JSON.parse(temporalServiceConfig(c, 'history', '/d/dynamic.yaml'));
    const frontend = JSON.parse(temporalServiceConfig(c, 'frontend', '/d/dynamic.yaml'));
    expect(history.persistence.numHistoryShards).toBe(8);
    expect(history.persistence.datastores['postgres-default'].sql).toEqual(
      expect.objectContaining({ pluginName: 'postgres12', databaseName: 'reform_cluster_temporal', connectAddr: 'db.example:6543', user: 'tp', password: 'secret' }),
    );
    expect(history.persistence.datastores['postgres-visibility'].sql.databaseName).toBe('reform_cluster_visibility');
    expect(history.services).toEqual({
      history: { rpc: { grpcPort: 17234, membershipPort: 17264, bindOnLocalHost: true } },
      matching: { rpc: { grpcPort: 17235, membershipPort: 17265, bindOnLocalHost: true } },
      frontend: { rpc: { grpcPort: 17233, membershipPort: 17263, bindOnLocalHost: true, httpPort: 17243 } },
      worker: { rpc: { grpcPort: 17239, membershipPort: 17269, bindOnLocalHost: true } },
    });
    expect(frontend.services).toEqual(history.services);
    expect([history.global.metrics.prometheus.listenAddress, frontend.global.metrics.prometheus.listenAddress]).toEqual(['127.0.0.1:17274', '127.0.0.1:17273']);
    expect(history.clusterMetadata.clusterInformation.active.rpcAddress).toBe('127.0.0.1:17233');
    expect(history.dynamicConfigClient).toEqual({ filepath: '/d/dynamic.yaml', pollInterval: '10s' });
  });

  it('points the Web UI at the frontend, on 127.0.0.1, opening on the namespace', () => {
    expect(JSON.parse(temporalUiConfig(c, 'default'))).toEqual(
      expect.objectContaining({ temporalGrpcAddress: '127.0.0.1:17233', host: '127.0.0.1', port: 17280, enableUi: true, defaultNamespace: 'default' }),
    );
  });

  it('writes dynamic config as key → [{value, constraints}]', () => {
    expect(JSON.parse(temporalDynamicConfig())).toEqual({ 'limit.maxIDLength': [{ value: 255, constraints: {} }] });
  });
});

describe('cluster processes and state', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'reform-cluster-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a live process from a dead one and from a later one that got its pid', () => {
    expect(isAlive({ pid: process.pid, startTime: processStartTime(process.pid) })).toBe(true);
    expect(isAlive({ pid: process.pid, startTime: 'not-its-start-time' })).toBe(false);
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    expect(isAlive({ pid: Number(child.stdout.trim()) })).toBe(false);
  });

  it('keeps state whole across writes, and reads a missing or broken file as empty', () => {
    expect(readState(dir)).toEqual({ members: {} });
    const member = { name: 'api-1', kind: 'api' as const, pid: 42, port: 17200, log: '/l', startedAt: '2026-01-01T00:00:00.000Z' };
    writeState(dir, { members: { 'api-1': member } });
    expect(readState(dir)).toEqual({ members: { 'api-1': member } });
    writeFileSync(join(dir, 'state.json'), '{"members":');
    expect(readState(dir)).toEqual({ members: {} });
  });

  it('lets one command at a time change the cluster, and takes over the lock of one that died', () => {
    const release = takeLock(dir);
    expect(() => takeLock(dir)).toThrow(LockedError);
    expect(() => takeLock(dir)).toThrow(`另一个 reform cluster 命令(pid ${process.pid})正在操作这个集群,请等它结束`);
    release();
    writeFileSync(join(dir, 'lock'), '999999999 1');
    takeLock(dir)();
  });
});
