import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRules, RulesInput } from '../ruleset';
import { printDiagnostics } from './print';

/**
 * Golden tests: every diagnostic the rules toolchain can give has a fixture in
 * rules/test/diagnostics (`<code>.rules`, or `<code>--<variant>.rules`) and the whole printed
 * output beside it (`.golden`). A fixture `x.rules` is compiled together with its companions
 * `x.<anything>.rules` (shared declarations, a second procedure), which come first.
 * `UPDATE_GOLDEN=1 npx jest rules/src/diagnostics` rewrites the goldens; review the diff.
 */
const RULES = join(__dirname, '../..');
const DIR = join(RULES, 'test/diagnostics');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The compiler's own failure, for a definition the checks let through: unreachable by design. */
const NOT_USER_FACING = new Set(['internal']);

function printAll(inputs: RulesInput[]): { output: string; codes: string[] } {
  const { diagnostics } = compileRules(inputs);
  const blocks = inputs.map((f) => printDiagnostics(f.name, f.text, diagnostics.filter((d) => d.file === f.name))).filter(Boolean);
  return { output: `${blocks.join('\n\n')}\n`, codes: diagnostics.map((d) => d.code) };
}

function fixture(name: string): RulesInput[] {
  const files = readdirSync(DIR);
  const companions = files.filter((f) => f.startsWith(`${name}.`) && f.endsWith('.rules') && f !== `${name}.rules`).sort();
  return [...companions, `${name}.rules`].map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }));
}

function compareGolden(path: string, actual: string) {
  if (UPDATE) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The codes the source can report: `code: '…'` fields and `error(…, 'code', message)` calls. */
function codesInSource(): Set<string> {
  const files = [
    ...['check', 'syntax'].flatMap((d) => readdirSync(join(RULES, 'src', d)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).map((f) => join(RULES, 'src', d, f))),
    join(RULES, 'src/ruleset.ts'),
  ];
  const codes = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([a-z]+(?:-[a-z]+)*)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\b(?:error|warning)\(/g)) {
      const call = text.slice(m.index, text.indexOf(';', m.index));
      const code = /'([a-z]+(?:-[a-z]+)*)',\s*[`']/.exec(call);
      if (code) codes.add(code[1]);
    }
  }
  NOT_USER_FACING.forEach((c) => codes.delete(c));
  return codes;
}

const fixtures = readdirSync(DIR)
  .filter((f) => /^[a-z-]+\.rules$/.test(f))
  .map((f) => f.replace(/\.rules$/, ''))
  .sort();

describe('diagnostic goldens', () => {
  it.each(fixtures)('%s', (name) => {
    const { output, codes } = printAll(fixture(name));
    compareGolden(join(DIR, `${name}.golden`), output);
    // Each fixture is about one code, with no echo of it under other codes.
    const code = name.split('--')[0];
    if (code === 'too-many-errors') {
      // The flood it is about, cut off: 99 reports and the one that says so.
      expect(codes).toHaveLength(100);
      expect(codes.filter((c) => c === code)).toHaveLength(1);
      expect(codes[codes.length - 1]).toBe(code);
    } else expect(codes).toEqual([code]);
  });

  it('covers every code the checks and the parser can report, and no other', () => {
    const inSource = codesInSource();
    // Sanity: the scan finds the codes it is meant to (a broken scan must not pass vacuously).
    expect([...inSource]).toEqual(expect.arrayContaining(['syntax', 'unknown-name', 'duplicate', 'orphan', 'role-never-acts']));
    const inGoldens = new Set<string>();
    for (const f of readdirSync(DIR).filter((g) => g.endsWith('.golden'))) {
      for (const m of readFileSync(join(DIR, f), 'utf8').matchAll(/^\S+:\d+:\d+: (?:error|warning): .* \[([a-z-]+)\]$/gm)) inGoldens.add(m[1]);
    }
    expect([...inGoldens].sort()).toEqual([...inSource].sort());
    // And each code has a fixture named after it.
    expect([...inSource].filter((c) => !fixtures.includes(c))).toEqual([]);
  });

  it('every golden has its fixture', () => {
    const goldens = readdirSync(DIR).filter((f) => f.endsWith('.golden')).map((f) => f.replace(/\.golden$/, ''));
    expect(goldens.sort()).toEqual(fixtures);
  });
});

describe('recovery', () => {
  it('reports every independent error of a file in one run', () => {
    const text = readFileSync(join(RULES, 'test/recovery.rules'), 'utf8');
    const result = compileRules([{ name: 'recovery.rules', text }]);
    expect(result.definitions).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.severity} ${d.code}`)).toEqual([
      '11:29 error unknown-name',
      '15:34 error unknown-character',
      '17:1 error unknown-word',
      '22:3 error syntax',
      '28:6 error unknown-name',
    ]);
    compareGolden(join(RULES, 'test/recovery.golden'), `${printDiagnostics('recovery.rules', text, result.diagnostics)}\n`);
  });
});
