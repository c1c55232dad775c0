import type { AppConfig, TlsConfig } from '@reform/config';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { workerSdk } from './worker-sdk';

function tlsOptions(tls?: TlsConfig) {
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
    clientCertPair: tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
  };
}

/** A client on the configured Temporal: the embedded dev server, or an external cluster. */
export async function connectClient(config: AppConfig['temporal']): Promise<Client> {
  const connection = await Connection.connect({
    address: config.address,
    tls: tlsOptions(config.tls) ?? (config.apiKey ? true : undefined),
    apiKey: config.apiKey,
    connectTimeout: '5s',
  });
  return new Client({ connection, namespace: config.namespace });
}

/**
 * A client that connects on its first call: for a server process (the API) that must come up,
 * and say what is down, while Temporal is not reachable yet.
 */
export function lazyClient(config: AppConfig['temporal']): Client {
  const connection = Connection.lazy({
    address: config.address,
    tls: tlsOptions(config.tls) ?? (config.apiKey ? true : undefined),
    apiKey: config.apiKey,
    connectTimeout: '5s',
  });
  return new Client({ connection, namespace: config.namespace });
}

export async function connectWorker(config: AppConfig['temporal']): Promise<NativeConnection> {
  return workerSdk().NativeConnection.connect({
    address: config.address,
    tls: tlsOptions(config.tls) ?? (config.apiKey ? true : undefined),
    apiKey: config.apiKey,
  });
}
