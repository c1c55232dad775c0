import { ConfigError, loadConfig, UserError } from '@reform/config';
import { resolve } from 'node:path';
import { startApi } from './start';

/**
 * The HTTP API on its own (`node bin/api.js`; `reform start` runs it beside the worker): listens
 * on REFORM_API_HOST:REFORM_API_PORT (127.0.0.1:3000), stops on SIGINT or SIGTERM.
 */
async function main() {
  const root = resolve(__dirname, '../../..');
  // The web console as `reform start` (or `npm run web:build`) built it.
  const api = await startApi(loadConfig(process.env, root), { options: { webDir: resolve(root, 'apps/web/dist') } });
  console.error(`[api] 已启动:网页控制台 ${api.url}/,接口 ${api.url}/api(文档 ${api.url}/api/docs)`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const known = err instanceof UserError || err instanceof ConfigError;
  console.error(`[api] 启动失败:${known ? (err as Error).message : '内部错误'}`);
  if (!known || process.env.REFORM_DEBUG === '1') console.error(err);
  process.exit(1);
});
