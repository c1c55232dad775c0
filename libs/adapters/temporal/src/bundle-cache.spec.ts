import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCachedBundle, writeCachedBundle } from './bundle-cache';

/** Bundle code as webpack writes it: an inline source map naming the files it was built from. */
function bundleOf(text: string, sources: string[]) {
  const map = Buffer.from(JSON.stringify({ version: 3, sources, mappings: '' })).toString('base64');
  return { code: `${text}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`, sourceMap: '' };
}

describe('the workflow bundle kept between worker starts', () => {
  let dir: string;
  let source: string;
  let config: string;
  const cache = () => join(dir, 'cache');
  const past = (file: string, secondsAgo: number) => utimesSync(file, new Date(Date.now() - secondsAgo * 1000), new Date(Date.now() - secondsAgo * 1000));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
    source = join(dir, 'workflow.ts');
    config = join(dir, 'tsconfig.base.json');
    writeFileSync(source, 'export const a = 1;\n');
    writeFileSync(config, '{}\n');
    past(source, 60);
    past(config, 60);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is used again while no file it was built from has changed', () => {
    expect(readCachedBundle(cache())).toBeUndefined();
    const bundle = bundleOf('var workflows = 1;', [source, 'webpack/bootstrap']);
    writeCachedBundle(cache(), bundle, Date.now(), [config]);
    expect(readCachedBundle(cache())).toEqual({ code: bundle.code, sourceMap: '' });
  });

  it('is not used once a source, or a file it depends on besides, has changed or gone', () => {
    writeCachedBundle(cache(), bundleOf('var workflows = 1;', [source]), Date.now(), [config]);
    writeFileSync(source, 'export const a = 2;\n');
    expect(readCachedBundle(cache())).toBeUndefined();

    past(source, 30);
    writeCachedBundle(cache(), bundleOf('var workflows = 2;', [source]), Date.now(), [config]);
    expect(readCachedBundle(cache())?.code).toContain('var workflows = 2;');
    writeFileSync(config, '{ "compilerOptions": {} }\n');
    expect(readCachedBundle(cache())).toBeUndefined();

    past(config, 30);
    writeCachedBundle(cache(), bundleOf('var workflows = 3;', [source]), Date.now(), [config]);
    rmSync(source);
    expect(readCachedBundle(cache())).toBeUndefined();
  });

  it('is not kept when a source changed while bundling', () => {
    const startedAt = Date.now() - 10_000;
    writeFileSync(source, 'export const a = 3;\n');
    writeCachedBundle(cache(), bundleOf('var workflows = 1;', [source]), startedAt, [config]);
    expect(readCachedBundle(cache())).toBeUndefined();
  });
});
