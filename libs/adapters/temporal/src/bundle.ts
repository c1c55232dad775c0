import { join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { readFileSync } from 'node:fs';

/**
 * Options to bundle the workflows with the monorepo's path aliases (@reform/…), read from
 * tsconfig.base.json so the bundle resolves exactly what TypeScript does.
 */
export function workflowBundleOptions(root: string): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  // Exact matches (`name$`): '@reform/calendar' must not also claim '@reform/calendar/core'.
  const alias = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([name, [path]]) => [`${name}$`, join(root, path)]));
  return {
    workflowsPath: join(root, 'workflows/src/index.ts'),
    webpackConfigHook: (config) => {
      config.resolve = { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...alias } };
      return config;
    },
  };
}
