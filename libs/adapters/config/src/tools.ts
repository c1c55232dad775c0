import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/ensure.sh installs the engines the project builds itself. */
export function toolPaths(root: string) {
  const tools = join(root, '.tools');
  return {
    temporalCli: join(tools, 'bin', 'temporal'),
    temporalCliVersionFile: join(tools, 'bin', 'temporal.version'),
    testServer: join(tools, 'temporal-test-server', 'temporal-test-server'),
    testServerLib: join(tools, 'temporal-test-server', 'lib'),
    /** The Temporal server and its SQL schema tool for `reform cluster` (`go install` names them server and sql). */
    temporalServer: join(tools, 'temporal-server', 'bin', 'server'),
    temporalSqlTool: join(tools, 'temporal-server', 'bin', 'sql'),
    temporalServerVersionFile: join(tools, 'temporal-server', 'bin', 'server.version'),
    /** Temporal's Web UI server, for the cluster (its own folder: `go install` names it server too). */
    temporalUi: join(tools, 'temporal-ui', 'bin', 'server'),
    temporalUiVersionFile: join(tools, 'temporal-ui', 'bin', 'server.version'),
  };
}

export function installedCliVersion(root: string): string | undefined {
  const file = toolPaths(root).temporalCliVersionFile;
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Versions of the cluster's Temporal server and Web UI server as installed (scripts/ensure.sh cluster), each undefined when absent. */
export function installedClusterVersions(root: string): { server?: string; ui?: string } {
  const t = toolPaths(root);
  const version = (binary: string, file: string) => (existsSync(binary) && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  return {
    server: existsSync(t.temporalSqlTool) ? version(t.temporalServer, t.temporalServerVersionFile) : undefined,
    ui: version(t.temporalUi, t.temporalUiVersionFile),
  };
}
