import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic, hasErrors, printDiagnostics } from '../diagnostics';
import { formatRules } from '../format/format';
import { compileRules, RulesInput } from '../ruleset';
import { MAX_DIAGNOSTICS, MAX_NESTING, parseRules } from './parse';
import { NameIndex } from '../util/closest';
import { KEYWORD_TEXTS } from './tokens';

/**
 * Whatever the input, the toolchain answers with positioned diagnostics and never throws:
 * random text, token soups, mangled standard rules, and the pathological cases.
 */
const STANDARD_DIR = join(__dirname, '../../standard');
const STANDARD: RulesInput[] = readdirSync(STANDARD_DIR)
  .filter((f) => f.endsWith('.rules'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(STANDARD_DIR, f), 'utf8') }));
const COMMON = STANDARD.find((f) => f.name === 'common.rules')!;

/** Line and column of an offset, counted independently of the code under test. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function expectPositioned(text: string, d: Diagnostic) {
  const { offset, length, line, column } = d.range;
  expect(Number.isInteger(offset) && offset >= 0 && offset <= text.length).toBe(true);
  expect(Number.isInteger(length) && length >= 0 && offset + length <= text.length).toBe(true);
  expect({ line, column }).toEqual(position(text, offset));
  expect(d.message.length).toBeGreaterThan(0);
  expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
}

/** The invariants of one run over some files; returns the result for further checks. */
function expectSound(inputs: RulesInput[]) {
  const result = compileRules(inputs);
  const byName = new Map(inputs.map((f) => [f.name, f.text]));
  for (const d of result.diagnostics) {
    expect(byName.has(d.file!)).toBe(true);
    expectPositioned(byName.get(d.file!)!, d);
  }
  // A file with any error is never published; a clean ruleset always is.
  if (hasErrors(result.diagnostics)) expect(result.definitions).toBeUndefined();
  else expect(result.definitions).toBeDefined();
  for (const f of inputs) {
    const parsed = parseRules(f.text);
    expect(parsed.diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS);
    parsed.diagnostics.forEach((d) => expectPositioned(f.text, d));
    // Printing never throws either, and says where.
    const printed = printDiagnostics(f.name, f.text, result.diagnostics.filter((d) => d.file === f.name));
    for (const d of result.diagnostics.filter((x) => x.file === f.name)) expect(printed).toContain(`${f.name}:${d.range.line}:${d.range.column}: `);
    // Whatever parses cleanly formats, and reads back the same.
    if (!hasErrors(parsed.diagnostics)) expect(formatRules(parseRules(formatRules(parsed.value)).value)).toBe(formatRules(parsed.value));
  }
  return result;
}

const one = (text: string) => expectSound([{ name: 'x.rules', text }]);

// The pieces of the language: keywords, names, quotes, numbers, punctuation, comments, line breaks.
const PIECES = [
  ...KEYWORD_TEXTS,
  'lead_unit', 'issued', 'filed', 'major', 'standard', 'drafting', 'X', 'a1', 'A9', 'Y9', 'Q77',
  '"名称"', '「名称」', '"未闭合', '「未闭合', '"\\"', '0', '1', '6', '99999999999999999999',
  '、', ',', ',', '(', ')', '(', ')', '#注释', '\n', '\n\n', '  ', '\t', '阶级', '致函了', '@', '“', '\u0000', '\ufeff',
];
const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((parts) => parts.join(' '));
const glued = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((parts) => parts.join(''));

/** A standard file, mangled: slices deleted, inserted, duplicated, swapped. */
const mutation = fc.tuple(fc.constantFrom(...STANDARD), fc.array(fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate', 'swap'), fc.nat(), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })), { minLength: 1, maxLength: 4 })).map(([file, ops]) => {
  let text = file.text;
  for (const [op, a, b, c, junk] of ops) {
    const at = a % (text.length + 1);
    const len = b % Math.min(200, text.length - at + 1);
    const slice = text.slice(at, at + len);
    if (op === 'delete') text = text.slice(0, at) + text.slice(at + len);
    else if (op === 'insert') text = text.slice(0, at) + (c % 2 ? junk : STANDARD[c % STANDARD.length].text.slice(0, 1 + (c % 120))) + text.slice(at);
    else if (op === 'duplicate') text = text.slice(0, at + len) + slice + text.slice(at + len);
    else {
      const rest = text.slice(at + len);
      const to = c % (rest.length + 1);
      const len2 = (b + c) % Math.min(200, rest.length - to + 1);
      text = text.slice(0, at) + rest.slice(to, to + len2) + rest.slice(0, to) + slice + rest.slice(to + len2);
    }
  }
  return { name: file.name, text };
});

describe('never throws, always positions', () => {
  it('random strings: full unicode, control characters, lone surrogates', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void one(text)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\r', '\n', '\t', '\u2028', '\ud800', '\udc00', '\u00a0', '\u3000', '阶', '"', '「', '」'), maxLength: 200 }), (text) => void one(text)), { numRuns: 200 });
  });

  it('random bytes, read as UTF-8 and as Latin-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        one(Buffer.from(bytes).toString('utf8'));
        one(Buffer.from(bytes).toString('latin1'));
      }),
      { numRuns: 200 },
    );
  });

  it('token soups drawn from the language', () => {
    fc.assert(fc.property(soup, (text) => void one(text)), { numRuns: 400 });
    fc.assert(fc.property(glued, (text) => void one(text)), { numRuns: 200 });
  });

  it('token soups beside the shared declarations, as a ruleset', () => {
    fc.assert(fc.property(soup, (text) => void expectSound([COMMON, { name: 'soup.rules', text: `程序 soup "汤"\n  依据 A5\n${text}` }])), { numRuns: 200 });
  });

  it('mangled standard rules', () => {
    fc.assert(
      fc.property(mutation, (mangled) => {
        const rest = STANDARD.filter((f) => f.name !== mangled.name);
        expectSound([...rest, mangled]);
      }),
      { numRuns: 120 },
    );
  });
});

const codes = (text: string) => one(text).diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code}`);

describe('pathological inputs', () => {
  it('an empty file, and a blank one', () => {
    expect(codes('')).toEqual(['1:1 empty-file']);
    expect(codes('\n \n\t\n')).toEqual(['1:1 empty-file']);
  });

  it('a file of NULs: one error for the run', () => {
    const r = one('\u0000'.repeat(10_000));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'unknown-character', range: { offset: 0, length: 10_000, line: 1, column: 1 } });
    expect(r.diagnostics[0].message).toContain('\\u0000');
  });

  it('10,000 opening parentheses, alone and in a condition', () => {
    expect(codes('('.repeat(10_000))).toEqual([`1:${MAX_NESTING + 1} nesting-too-deep`]);
    const inStage = `程序 p "p"\n  依据 A5\n角色 r "r"\n阶段 s "s"\n  依据 A5\n  适用 ${'('.repeat(10_000)}a${')'.repeat(10_000)}\n  终结\n`;
    // `  适用 ` takes five columns.
    expect(codes(inStage)).toEqual([`6:${5 + MAX_NESTING + 1} nesting-too-deep`]);
  });

  it('10,000 非, alone and before a name', () => {
    expect(codes('非'.repeat(10_000))).toEqual(['1:1 syntax']);
    const text = `阶段 s "s"\n  适用 ${'非 '.repeat(10_000)}a\n`;
    const tree = parseRules(text);
    expect(tree.diagnostics).toEqual([]);
    // 非 非 a is a: the chain folds, so nothing downstream recurses ten thousand deep.
    expect(formatRules(tree.value)).toBe('阶段 s "s"\n  适用 a\n');
    expect(formatRules(parseRules(`阶段 s "s"\n  适用 ${'非 '.repeat(10_001)}a\n`).value)).toBe('阶段 s "s"\n  适用 非 a\n');
    const even = `程序 p "p"\n  依据 A5\n角色 r "r"\n属性 a "a"\n阶段 s "s"\n  依据 A5\n  适用 ${'非 '.repeat(10_000)}a\n  动作 x "x" 由 r 转入 t\n阶段 t "t"\n  依据 A5\n  终结\n`;
    expect(codes(even)).toEqual([]);
  });

  it('10 MB on a single line: junk, an unknown word, identifiers, a comment, a name', () => {
    const MB10 = 10 * 1024 * 1024;
    const junk = one('@'.repeat(MB10)).diagnostics;
    expect(junk).toHaveLength(1);
    expect(junk[0]).toMatchObject({ code: 'unknown-character', range: { offset: 0, length: MB10, line: 1, column: 1 } });
    expect(junk[0].message.length).toBeLessThan(100);
    const word = one('字'.repeat(MB10)).diagnostics;
    expect(word.map((d) => d.code)).toEqual(['unknown-word']);
    expect(word[0].message.length).toBeLessThan(100);
    expect(printDiagnostics('x.rules', '字'.repeat(MB10), word).length).toBeLessThan(1000);
    expect(codes(`${'ab '.repeat(200_000)}\n角色 Bad "x"`)).toEqual(['1:1 syntax', '2:4 bad-id']);
    // Only a comment: a shared file that declares nothing, which is no error.
    expect(codes(`# ${'x'.repeat(MB10)}`)).toEqual([]);
    // A name of ten million characters, and one with an escaped quote every few characters.
    expect(codes(`角色 r "${'名'.repeat(MB10)}"\n`)).toEqual([]);
    expect(codes(`角色 r "${'名\\"'.repeat(MB10 / 4)}"\n`)).toEqual([]);
    expect(codes(`角色 r "${'\\\\'.repeat(MB10 / 2)}"\n`)).toEqual([]);
    expect(codes(`角色 r 「${'名'.repeat(MB10)}」\n`)).toEqual([]);
  });
});

describe('big files: correct diagnostics, capped, hints only for what is shown', () => {
  const pad = (i: number) => String(i).padStart(4, '0');
  // The other shapes are checked for their diagnostics only: expectSound parses and formats again.
  const shownFor = (text: string) => compileRules([{ name: 'x.rules', text }]).diagnostics;

  /**
   * ~550 KB: 5,000 declared events and 3,400 stages whose actions go to a misspelled stage and
   * record a misspelled event (every third one a name like nothing declared): 6,800 unknown names.
   */
  function unknownNames(): string {
    const out = ['程序 big "大文件"', '  依据 A5', '  启动时登记 event_0000', '角色 lead_unit "牵头单位"'];
    for (let i = 0; i < 5000; i++) out.push(`事件 event_${pad(i)} "事件${i}"`);
    for (let i = 0; i < 3400; i++) {
      const records = i % 3 === 2 ? `qqq_${pad(i)}` : `evnt_${pad(i)}`;
      out.push(`阶段 stage_${pad(i)} "阶段${i}"`, '  依据 A5', `  动作 act_${pad(i)} "办理${i}" 由 lead_unit 转入 stag_${pad(i + 1)} 记录 ${records}`);
    }
    out.push('阶段 stage_3400 "完成"', '  依据 A5', '  终结');
    return `${out.join('\n')}\n`;
  }

  it('thousands of unknown names in 550 KB: the first 99 in file order with their hints, then the notice', () => {
    const text = unknownNames();
    expect(Buffer.byteLength(text)).toBeGreaterThan(550_000);
    // What the file says, read independently: each unknown name, where it is, what was meant.
    const expected: string[] = [];
    const unknown = [...text.matchAll(/转入 (stag_(\d{4}))|记录 ((evnt|qqq)_(\d{4}))/g)];
    expect(unknown).toHaveLength(6800);
    for (const m of unknown.slice(0, MAX_DIAGNOSTICS)) {
      const offset = m.index + 3;
      const { line, column } = position(text, offset);
      if (m[1]) expected.push(`${line}:${column} 未定义的阶段「${m[1]}」 是否想写「stage_${m[2]}」?`);
      else expected.push(`${line}:${column} 未定义的事件「${m[3]}」 ${m[4] === 'evnt' ? `是否想写「event_${m[5]}」?` : '-'}`);
    }
    // A hint is searched for only for the diagnostics shown, not for the thousands past the cap.
    const search = jest.spyOn(NameIndex.prototype, 'closest');
    let shown: Diagnostic[];
    try {
      shown = expectSound([{ name: 'big.rules', text }]).diagnostics;
      expect(search).toHaveBeenCalledTimes(MAX_DIAGNOSTICS - 1);
    } finally {
      search.mockRestore();
    }
    expect(shown).toHaveLength(MAX_DIAGNOSTICS);
    expect(shown.slice(0, -1).map((d) => `${d.range.line}:${d.range.column} ${d.message} ${d.hint ?? '-'}`)).toEqual(expected.slice(0, MAX_DIAGNOSTICS - 1));
    expect(shown.slice(0, -1).every((d) => d.code === 'unknown-name')).toBe(true);
    expect(shown[MAX_DIAGNOSTICS - 1]).toMatchObject({ code: 'too-many-errors', range: { line: Number(expected[MAX_DIAGNOSTICS - 1].split(':')[0]) } });
  });

  it('60,000 names in one list, none declared', () => {
    const names = Array.from({ length: 60_000 }, (_, i) => `x${i}`);
    const text = `程序 p "p"\n  依据 A5\n  启动时登记 ${names.join('、')}\n`;
    const shown = shownFor(text);
    expect(shown).toHaveLength(MAX_DIAGNOSTICS);
    const firstAt = text.indexOf('x0');
    expect(shown.slice(0, -1).map((d) => [d.code, d.message, d.range.offset])).toEqual(
      names.slice(0, MAX_DIAGNOSTICS - 1).map((n, i) => ['unknown-name', `未定义的事件「${n}」`, firstAt + names.slice(0, i).join('、').length + (i ? 1 : 0)]),
    );
    expect(shown[MAX_DIAGNOSTICS - 1].code).toBe('too-many-errors');
  });

  it('50,000 declarations of one event: each repeat a duplicate citing the first, capped', () => {
    const text = `程序 p "p"\n  依据 A5\n${'事件 e "e"\n'.repeat(50_000)}`;
    const shown = shownFor(text);
    expect(shown).toHaveLength(MAX_DIAGNOSTICS);
    // The procedure has no stage (at its header), then every repeat from line 4 on.
    expect(shown[0]).toMatchObject({ code: 'no-stages', range: { line: 1, column: 4 } });
    expect(shown.slice(1, -1).map((d) => `${d.range.line}:${d.range.column} ${d.message}`)).toEqual(
      Array.from({ length: MAX_DIAGNOSTICS - 2 }, (_, i) => `${i + 4}:4 事件「e」重复定义(首次定义于 x.rules:3:4)`),
    );
    expect(shown[MAX_DIAGNOSTICS - 1].code).toBe('too-many-errors');
  });

  it('10,000 stages with a broken clause each: the syntax errors in file order, capped', () => {
    const stages = Array.from({ length: 10_000 }, (_, i) => `阶段 s${pad(i)} "s"\n  依据 A5\n  动作 x${pad(i)} "x" 由 转入 s${pad(i + 1)}\n`);
    const text = `程序 p "p"\n  依据 A5\n角色 r "r"\n${stages.join('')}阶段 s${pad(10_000)} "s"\n  依据 A5\n  终结\n`;
    // Each 由 is followed by 转入 where a role was due.
    const expected = [...text.matchAll(/由 转入/g)].slice(0, MAX_DIAGNOSTICS).map((m) => {
      const { line, column } = position(text, m.index + 2);
      return `${line}:${column} syntax 名称列表中此处应为标识,却是「转入」`;
    });
    const shown = shownFor(text);
    expect(shown).toHaveLength(MAX_DIAGNOSTICS);
    expect(shown.slice(0, -1).map((d) => `${d.range.line}:${d.range.column} ${d.code} ${d.message}`)).toEqual(expected.slice(0, MAX_DIAGNOSTICS - 1));
    expect(shown[MAX_DIAGNOSTICS - 1].code).toBe('too-many-errors');
  });

  it('20,000 stray words each before a declaration: no stack overflow, the errors in file order, capped', () => {
    // Each 由 a stands where a declaration should start; each 阶段 after it starts one again.
    const text = '由 a\n阶段 s "s"\n'.repeat(20_000);
    const shown = shownFor(text);
    expect(shown).toHaveLength(MAX_DIAGNOSTICS);
    // Line 2k+1: a declaration was due, 由 came; line 2k+2: a stage with no procedure line.
    expect(shown.slice(0, -1).map((d) => `${d.range.line}:${d.range.column} ${d.code}`)).toEqual(
      Array.from({ length: MAX_DIAGNOSTICS - 1 }, (_, k) => `${k + 1}:1 ${k % 2 === 0 ? 'syntax' : 'outside-procedure'}`),
    );
    expect(shown[MAX_DIAGNOSTICS - 1].code).toBe('too-many-errors');
  });

  it('a condition of 100,000 operands', () => {
    const text = `程序 p "p"\n  依据 A5\n属性 a "a"\n阶段 s "s"\n  依据 A5\n  适用 ${'a 或 '.repeat(100_000)}a\n  终结\n`;
    expect(shownFor(text).map((d) => `${d.range.line}:${d.range.column} ${d.code}`)).toEqual(['6:6 skip-nowhere']);
  });
});
