import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Writes a benchmark's results under `outDir` (relative to `root`): `<bench>-<start>.json`, the
 * printed report as `<bench>-<start>.txt` when there is one, and `<bench>-latest.json`. Answers
 * the files written.
 */
export function saveResults(bench: string, results: { startedAt: string }, root: string, outDir: string, text?: string): string[] {
  const dir = resolve(root, outDir);
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(results, null, 2) + '\n';
  const files: Array<[string, string]> = [
    [join(dir, `${bench}-${stamp}.json`), json],
    ...(text === undefined ? [] : ([[join(dir, `${bench}-${stamp}.txt`), text + '\n']] as Array<[string, string]>)),
    [join(dir, `${bench}-latest.json`), json],
  ];
  for (const [file, content] of files) writeFileSync(file, content);
  return files.map(([file]) => file);
}
