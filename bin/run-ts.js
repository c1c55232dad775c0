'use strict';
// Runs a TypeScript entry point of the monorepo (the CLI, the worker, the API) from any working
// directory. The entry and the monorepo sources it imports are compiled into one JavaScript file
// under .data/cache/bin (esbuild, the compiler tsx itself uses; packages stay in node_modules),
// rebuilt whenever a source it was built from has changed. Compiling every file on every start
// through tsx cost each `reform` command about as much again as the command itself.
// Should the compiled file not be there or not be writable, the sources run through tsx.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.data', 'cache', 'bin');
// What the compiled file also depends on besides the sources esbuild reports.
const CONFIG = ['tsconfig.json', 'tsconfig.base.json', 'bin/run-ts.js'];

function viaTsx(entry) {
  process.env.TSX_TSCONFIG_PATH = path.join(root, 'tsconfig.json');
  require('tsx/cjs/api').register();
  require(path.join(root, entry));
}

/** [path relative to root, mtime, size] of a file; null when it is gone. */
function stamp(file) {
  try {
    const s = fs.statSync(path.join(root, file));
    return [file, s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

function upToDate(manifestFile) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.root !== root || manifest.node !== process.version) return false;
  return manifest.inputs.every(([file, mtime, size]) => {
    const now = stamp(file);
    return now !== null && now[1] === mtime && now[2] === size;
  });
}

/**
 * Reads the sources for esbuild, noting each file's stamp before reading it (a file changed while
 * compiling then counts as changed). `__dirname` and `__filename` become what they were in the
 * source file: the compiled file lives elsewhere, and the sources find the monorepo root (and the
 * standard rules) from where they are.
 */
function sourcePlugin(stamps) {
  return {
    name: 'sources',
    setup(build) {
      build.onLoad({ filter: /\.(ts|json)$/ }, async (args) => {
        const rel = path.relative(root, args.path).split(path.sep).join('/');
        stamps.set(rel, stamp(rel));
        let text = await fs.promises.readFile(args.path, 'utf8');
        if (args.path.endsWith('.ts') && /\b__(dirname|filename)\b/.test(text)) {
          text = text
            .replace(/\b__dirname\b/g, `__reformSource(${JSON.stringify(path.posix.dirname(rel))})`)
            .replace(/\b__filename\b/g, `__reformSource(${JSON.stringify(rel)})`);
        }
        return { contents: text, loader: args.path.endsWith('.ts') ? 'ts' : 'json' };
      });
    },
  };
}

async function compile(entry, outFile, manifestFile) {
  const esbuild = require('esbuild');
  // Written beside the cache folder (the same depth: the source map's relative paths and its
  // file's name hold once moved in), then renamed into place.
  const tmpDir = `${cacheDir}-${process.pid}.tmp`;
  const tmp = path.join(tmpDir, path.basename(outFile));
  const stamps = new Map(CONFIG.map((file) => [file, stamp(file)]));
  try {
    const result = await esbuild.build({
      entryPoints: [path.join(root, entry)],
      absWorkingDir: root,
      outfile: tmp,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node}`,
      tsconfig: path.join(root, 'tsconfig.json'),
      // As tsx compiles: class and function names kept (NestJS and TypeORM read them).
      keepNames: true,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [sourcePlugin(stamps)],
      banner: {
        js: `const __reformRoot = require('node:path').resolve(__dirname, ${JSON.stringify(path.relative(cacheDir, root))});\nconst __reformSource = (rel) => require('node:path').join(__reformRoot, rel);`,
      },
    });
    for (const file of Object.keys(result.metafile.inputs)) if (!stamps.has(file)) stamps.set(file, stamp(file));
    const inputs = [...stamps.values()];
    if (inputs.includes(null)) throw new Error('a source went away while compiling');
    // Renamed into place, the list of inputs last: a process starting meanwhile runs either the
    // old file or the new one, and never takes a file for current that is not.
    fs.writeFileSync(`${tmp}.json`, JSON.stringify({ root, node: process.version, inputs }));
    fs.renameSync(`${tmp}.map`, `${outFile}.map`);
    fs.renameSync(tmp, outFile);
    fs.renameSync(`${tmp}.json`, manifestFile);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Runs `entry` (a path from the monorepo root). With `sourceMaps`, stack traces name the
 * TypeScript sources; reading the packages' source maps slows every start a little.
 */
module.exports = (entry, { sourceMaps = true } = {}) => {
  const name = entry.replace(/\.ts$/, '').replace(/[\\/]/g, '-');
  const outFile = path.join(cacheDir, `${name}.js`);
  const manifestFile = path.join(cacheDir, `${name}.json`);
  const run = () => {
    if (sourceMaps) process.setSourceMapsEnabled(true);
    require(outFile);
  };
  if (upToDate(manifestFile)) {
    run();
    return;
  }
  fs.promises
    .mkdir(cacheDir, { recursive: true })
    .then(() => compile(entry, outFile, manifestFile))
    .then(
      () => true,
      () => false,
    )
    .then((compiled) => (compiled ? run() : viaTsx(entry)));
};
