import { AppConfig, loadConfig } from '@reform/config';
import { resolve } from 'node:path';

/** The monorepo's root. Kept apart from context.ts so light commands load no database or Temporal code. */
export const ROOT = resolve(__dirname, '../../..');

export function config(): AppConfig {
  return loadConfig(process.env, ROOT);
}
