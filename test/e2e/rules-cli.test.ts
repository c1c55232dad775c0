import { checkDefinition, ProcessDefinitionSchema } from '@reform/definitions';
import { STANDARD_PROCEDURE_IDS } from '@reform/platform';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reform, ROOT } from './cli';

/** `reform rules …` as a user runs it: no Temporal server and no database needed. */
describe('reform rules', () => {
  const STANDARD = join(ROOT, 'rules/standard');
  let dir: string;
  // A data dir of its own, so nothing a developer has running is touched.
  const env = () => ({ REFORM_DATA_DIR: join(dir, 'data'), TEMPORAL_ADDRESS: '' });
  const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reform-rules-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const broken = () => {
    const file = join(dir, 'broken.rules');
    writeFileSync(file, '程序 p "程序"\n  依据 A5\n\n角色 clerk "经办人"\n\n阶段 start "开始"\n  依据 A5\n  动作 finish "办结" 由 clerk 转入 ende\n\n阶段 end "结束"\n  依据 A5\n  终结\n');
    return file;
  };

  it('check: the standard rules pass with exit 0; a broken file fails with exit 1 and file:line:col', () => {
    const ok = reform(['rules', 'check', STANDARD], env());
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('规则无误');

    const file = broken();
    const bad = reform(['rules', 'check', file], env());
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${file}:8:29: error: 未定义的阶段「ende」 [unknown-name]`);
    expect(bad.stderr).toContain('= 提示:是否想写「end」?');
    noStack(bad.stderr);
  });

  it('check --json: parseable, with file, line, column and code', () => {
    const file = broken();
    const r = reform(['rules', 'check', '--json', file], env());
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics).toEqual([expect.objectContaining({ file, line: 8, column: 29, code: 'unknown-name', severity: 'error' })]);
    const ok = JSON.parse(reform(['rules', 'check', '--json', STANDARD], env()).stdout);
    expect(ok).toMatchObject({ ok: true, diagnostics: [] });
    expect(ok.procedures.map((p: { id: string }) => p.id).sort()).toEqual([...STANDARD_PROCEDURE_IDS].sort());
  });

  it('fmt --check: 0 when formatted, 1 when a file needs formatting; fmt rewrites it; a file with syntax errors is left alone', () => {
    expect(reform(['rules', 'fmt', '--check', STANDARD], env())).toMatchObject({ status: 0, stdout: expect.stringContaining('排版无误') });

    const messy = join(dir, 'messy.rules');
    const standardCommon = readFileSync(join(STANDARD, 'common.rules'), 'utf8');
    // The blank line after the file's header comment stays: without it the comment would belong to the first role.
    const [header, ...body] = standardCommon.split('\n\n');
    writeFileSync(messy, `${header}\n\n${body.join('\n').replace(/ 致函 /g, '   致函 ')}`);
    const check = reform(['rules', 'fmt', '--check', messy], env());
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`需要排版:${messy}`);
    expect(readFileSync(messy, 'utf8')).not.toBe(standardCommon);

    const fmt = reform(['rules', 'fmt', messy], env());
    expect(fmt.status).toBe(0);
    expect(fmt.stdout).toContain(`已排版:${messy}`);
    expect(readFileSync(messy, 'utf8')).toBe(standardCommon);
    expect(reform(['rules', 'fmt', '--check', messy], env()).status).toBe(0);

    const bad = join(dir, 'bad.rules');
    const text = '角色   clerk "经办人" @\n';
    writeFileSync(bad, text);
    const refused = reform(['rules', 'fmt', bad], env());
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${bad}:1:18: error: 无法识别的字符「@」 [unknown-character]`);
    expect(refused.stderr).toContain('有语法错误,未排版');
    expect(readFileSync(bad, 'utf8')).toBe(text);
  });

  it('fmt rewrites a copy of a standard file in a temp dir only when needed', () => {
    const copy = join(dir, 'pilot.rules');
    copyFileSync(join(STANDARD, 'pilot.rules'), copy);
    copyFileSync(join(STANDARD, 'common.rules'), join(dir, 'common.rules'));
    expect(reform(['rules', 'fmt', dir], env())).toMatchObject({ status: 0, stdout: expect.stringContaining('无需改动') });
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(STANDARD, 'pilot.rules'), 'utf8'));
  });

  it('compile prints definitions that validate', () => {
    const r = reform(['rules', 'compile', STANDARD], env());
    expect(r.status).toBe(0);
    const defs = JSON.parse(r.stdout) as unknown[];
    expect(defs).toHaveLength(STANDARD_PROCEDURE_IDS.length);
    for (const d of defs) {
      expect(ProcessDefinitionSchema.safeParse(d).success).toBe(true);
      expect(checkDefinition(d).diagnostics).toEqual([]);
    }
    const bad = reform(['rules', 'compile', broken()], env());
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('错误:规则有错误,未编译');
  });

  it('explain prints what the rules make happen, in Chinese', () => {
    const r = reform(['rules', 'explain', STANDARD], env());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('改革方案(reform_plan');
    expect(r.stdout).toContain('方案印发后1个月内');
    expect(r.stdout).toContain('办理阶段:');
    const one = reform(['rules', 'explain', '--procedure', 'pilot', STANDARD], env());
    expect(one.stdout).toContain('改革试点(pilot');
    expect(one.stdout).not.toContain('reform_plan');
  });

  it('a missing file is one Chinese line; an unknown option a usage line and exit 2', () => {
    const missing = join(dir, 'nope.rules');
    for (const command of ['check', 'fmt', 'compile', 'explain']) {
      const r = reform(['rules', command, missing], env());
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`错误:读不到文件 ${missing}\n`);
      expect(r.stdout).toBe('');
    }
    const r = reform(['rules', 'check', '--bogus'], env());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^错误:未知选项 --bogus\n/);
    expect(r.stderr).toContain('reform --help');
    noStack(r.stderr);
  });
});
