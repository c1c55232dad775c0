import { ClusterConfig, TEMPORAL_SERVICES, TemporalService } from '@reform/config';

/** The folder, under the cluster's, where the Temporal services' configuration files are written. */
export const TEMPORAL_CONFIG_FOLDER = 'temporal';

/** Connections each service keeps to the cluster's main database (PostgreSQL allows 100 by default, shared with the product and the tests). */
const MAX_CONNS: Record<TemporalService, number> = { history: 10, matching: 5, frontend: 5, worker: 3 };

/**
 * The configuration of one Temporal service process (`server --env <service> start --service
 * <service>` reads `<config>/<service>.yaml`): PostgreSQL persistence with the cluster's shards,
 * every service's ports (they find each other through membership), and this process's own
 * metrics port. JSON, which is YAML, so nothing needs escaping by hand.
 */
export function temporalServiceConfig(c: ClusterConfig, service: TemporalService, dynamicConfigFile: string): string {
  const { postgres: pg, databases, ports } = c;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: c.shards,
      datastores: {
        'postgres-default': store(databases.temporal, MAX_CONNS[service]),
        'postgres-visibility': store(databases.visibility, 2),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.temporal[service].metrics}` } },
    },
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((s) => {
        const p = ports.temporal[s];
        return [s, { rpc: { grpcPort: p.grpc, membershipPort: p.membership, bindOnLocalHost: true, ...(p.http ? { httpPort: p.http } : {}) } }];
      }),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.temporal.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Dynamic configuration shared by the services (read again every 10 s): the server's defaults
 * but for the length of ids, as in Temporal's own development-sql.yaml.
 */
export function temporalDynamicConfig(): string {
  const values: Record<string, unknown> = { 'limit.maxIDLength': 255 };
  return `${JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, value]) => [k, [{ value, constraints: {} }]])), null, 2)}\n`;
}

/** The folder, under the cluster's, of the Web UI server's configuration (`server --env cluster` reads cluster.yaml). */
export const UI_CONFIG_FOLDER = 'ui';

/** Temporal's Web UI on the cluster's frontend, listening on 127.0.0.1 only, opening on the product's namespace. */
export function temporalUiConfig(c: ClusterConfig, namespace: string): string {
  const config = {
    temporalGrpcAddress: `127.0.0.1:${c.ports.temporal.frontend.grpc}`,
    host: '127.0.0.1',
    port: c.ports.ui,
    publicPath: '',
    enableUi: true,
    defaultNamespace: namespace,
    showTemporalSystemNamespace: false,
    refreshInterval: '1m',
    notifyOnNewVersion: false,
    cors: { cookieInsecure: true, allowOrigins: [], unsafeAllowAllOrigins: false },
    auth: { enabled: false },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
