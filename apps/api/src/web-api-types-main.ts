import { syncWebApiTypes, WEB_API_TYPES_FILE } from './web-api-types';

/**
 * `npm run web:api-types` writes apps/web/src/api/schema.d.ts. With `--check [file …]` (default
 * that file) it writes nothing, says of each file whether it matches the API, and exits 1 when
 * one does not.
 */
async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = process.argv.slice(1).filter((a) => a.endsWith('.d.ts'));
  let stale = 0;
  for (const file of files.length ? files : [WEB_API_TYPES_FILE]) {
    const { ok, message } = await syncWebApiTypes(check ? 'check' : 'write', file);
    console.error(message);
    if (!ok) stale++;
  }
  return stale ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('生成网页控制台的 API 类型失败:', err);
    process.exit(2);
  },
);
