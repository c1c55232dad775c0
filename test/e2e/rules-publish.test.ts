import { addDays, addMonths, LocalDate, localDateAt, SHIPPED_HOLIDAYS } from '@reform/calendar';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workingDaysAfter, workingDaysBefore } from '../support/dates';
import { demoLogins, reform, ROOT, startProduct } from './cli';

/**
 * A recent issue date on which the clerk's edit (filing within one month → within 20 working
 * days) moves the filing reminder (5 working days before the due date). On some days it would
 * not: from a weekday in a common February both are 28 days, and a weekend can hide the shift.
 * The dev server counts on the shipped holiday calendar.
 */
function issueDateTheEditMoves(today: LocalDate): LocalDate {
  const reminder = (due: LocalDate) => workingDaysBefore(due, 5, SHIPPED_HOLIDAYS);
  for (let back = 1; back <= 14; back++) {
    const issued = addDays(today, -back);
    if (reminder(addMonths(issued, 1).date) !== reminder(workingDaysAfter(issued, 20, SHIPPED_HOLIDAYS))) return issued;
  }
  throw new Error(`no day in the two weeks before ${today} on which the edit moves the filing reminder`);
}

/**
 * The issue's "done when", as a reform-office user lives it: change a deadline in the rules,
 * see check, explain, diff and simulate tell the truth, publish, and new plans follow the new
 * version while running ones keep theirs. Against a real dev server and database.
 */
describe('a reform office changes a deadline and publishes it', () => {
  let dataDir: string;
  let rulesDir: string;
  const env = () => ({ REFORM_DATA_DIR: dataDir, TEMPORAL_PORT: '27243', TEMPORAL_UI_PORT: '28243', REFORM_API_PORT: '29243', TEMPORAL_ADDRESS: '' });
  const ok = (args: string[]) => {
    const user = args[args.indexOf('--user') + 1];
    const r = reform(args, { ...env(), ...(args.includes('--user') ? { REFORM_PASSWORD: demoLogins(dataDir)[user] } : {}) });
    if (r.status !== 0) throw new Error(`reform ${args.join(' ')} → ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reform-rules-'));
    rulesDir = join(dataDir, 'rules');
    cpSync(join(ROOT, 'rules/standard'), rulesDir, { recursive: true });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('check, explain, diff, simulate, publish: new plans take the new version, the running one keeps its own', async () => {
    const product = await startProduct(env());
    try {
      const today = localDateAt(Date.now());
      const issuedOn = issueDateTheEditMoves(today);
      const toIssue = (id: string) => {
        // Each step by the demo user of the unit whose role takes it: the lead department, the
        // special group, the legal office (the role comes from the unit, never from the command).
        ok(['plan', 'register', '--user', 'demo-ndrc', '--title', '关于深化营商环境改革的实施方案', '--leader', '王副省长', '--person', '李明', '--group', 'demo-econ', '--registered-on', addDays(issuedOn, -9), '--id', id]);
        for (const [action, user] of [['submit_draft', 'demo-ndrc'], ['complete_research', 'demo-ndrc'], ['pass_special_group_review', 'demo-econ'], ['pass_legality_review', 'demo-legal'], ['approve_countersign', 'demo-econ']]) {
          ok(['plan', 'act', id, action, '--user', user, '--date', addDays(issuedOn, -4)]);
        }
        ok(['plan', 'act', id, 'issue', '--user', 'demo-ndrc', '--date', issuedOn]);
      };
      toIssue('old-plan');
      expect(ok(['rules', 'why', 'old-plan', 'filing'])).toContain('1个月后为');

      // The clerk's edit: file within 20 working days instead of one month.
      const file = join(rulesDir, 'reform-plan.rules');
      const text = readFileSync(file, 'utf8');
      const edited = text.replace(/(时限 filing "方案备案"\n  依据 A9\n  起算 issued\n  期限 )1 个月/, '$120 个工作日');
      expect(edited).not.toBe(text);
      writeFileSync(file, edited);

      expect(ok(['rules', 'check', rulesDir])).toContain('规则无误');
      expect(ok(['rules', 'explain', rulesDir, '--procedure', 'reform_plan'])).toContain('方案印发后20个工作日内方案备案');
      expect(ok(['rules', 'diff', join(ROOT, 'rules/standard'), rulesDir])).toContain('~ 时限「方案备案」期限:1个月 → 20个工作日');
      expect(ok(['rules', 'diff', 'reform_plan@latest', rulesDir])).toContain('~ 时限「方案备案」期限:1个月 → 20个工作日');

      const simulated = ok(['rules', 'simulate', rulesDir, '--plan', 'old-plan', '--until', addDays(today, 120)]);
      expect(simulated).toContain('old-plan《关于深化营商环境改革的实施方案》(reform_plan@1)');
      expect(simulated).toMatch(/~ 改期:\S+ → \S+ 提醒函.方案备案/);
      const json = JSON.parse(ok(['rules', 'simulate', rulesDir, '--plan', 'old-plan', '--until', addDays(today, 120), '--json']));
      expect(json.plans[0].current.length).toBeGreaterThan(0);
      expect(json.plans[0].proposed[0]).toMatchObject({ deadlineId: 'filing', kind: 'reminder' });
      // Simulating changed nothing: the plan still counts one month.
      expect(ok(['rules', 'why', 'old-plan', 'filing'])).toContain('1个月后为');

      expect(ok(['rules', 'publish', rulesDir])).toContain('已发布 改革方案(reform_plan)第2版');
      expect(ok(['rules', 'publish', rulesDir])).toContain('与已发布的第2版含义相同,未发布新版本');

      toIssue('new-plan');
      expect(ok(['plan', 'show', 'new-plan', '--user', 'demo-ndrc'])).toContain('第2版');
      expect(ok(['rules', 'why', 'new-plan', 'filing'])).toContain('20个工作日后为');
      expect(ok(['rules', 'why', 'old-plan', 'filing'])).toContain('1个月后为');
      expect(ok(['plan', 'show', 'old-plan', '--user', 'demo-ndrc'])).toContain('第1版');

      // Moving the running plan is its own explicit act: a policy must be chosen, a dry run comes first.
      const noPolicy = reform(['rules', 'migrate', 'reform_plan@2', '--plan', 'old-plan'], env());
      expect(noPolicy.status).toBe(1);
      expect(noPolicy.stderr).toContain('须用 --policy 写明截止日期如何处理');
      const dryRun = ok(['rules', 'migrate', 'reform_plan@2', '--plan', 'old-plan', '--policy', 'recompute']);
      expect(dryRun).toMatch(/改期 方案备案\(filing#0\) \S+ → \S+/);
      expect(dryRun).toContain('这是预演');
      expect(ok(['plan', 'show', 'old-plan', '--user', 'demo-ndrc'])).toContain('第1版');
      expect(ok(['rules', 'migrate', 'reform_plan@2', '--plan', 'old-plan', '--policy', 'recompute', '--apply', '--actor', '张三'])).toContain('已迁移 1 个方案');
      expect(ok(['plan', 'show', 'old-plan', '--user', 'demo-ndrc'])).toMatch(/第2版[\s\S]*版本迁移:\n.*由第1版迁移到第2版.按新规则重算截止日期..经办人:张三./);
      expect(ok(['rules', 'why', 'old-plan', 'filing'])).toContain('20个工作日后为');
    } finally {
      await product.stop();
    }
  }, 360_000);

  it('a ruleset with an error publishes nothing', () => {
    const bad = join(dataDir, 'bad');
    cpSync(join(ROOT, 'rules/standard'), bad, { recursive: true });
    const pilot = readFileSync(join(bad, 'pilot.rules'), 'utf8');
    const broken = pilot.replace('由 lead_unit 转入 final_evaluation', '由 lead_unt 转入 final_evaluation');
    expect(broken).not.toBe(pilot);
    writeFileSync(join(bad, 'pilot.rules'), broken);
    const r = reform(['rules', 'publish', bad], env());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pilot\.rules:\d+:\d+: error: 未定义的角色「lead_unt」/);
    expect(r.stderr).toContain('未发布任何内容');
    expect(reform(['procedures'], env()).stdout).not.toContain('第3版');
  });

  it('a 版本 already published with other content refuses the whole publish, before any of it', () => {
    const dir = join(dataDir, 'taken');
    cpSync(join(ROOT, 'rules/standard'), dir, { recursive: true });
    const pilot = join(dir, 'pilot.rules');
    writeFileSync(pilot, readFileSync(pilot, 'utf8').replace('期限 2 个月', '期限 3 个月'));
    const plan = join(dir, 'reform-plan.rules');
    const text = readFileSync(plan, 'utf8');
    const edited = text.replace('  依据 A5\n', '  版本 1\n  依据 A5\n').replace('  期限 1 年\n', '  期限 2 年\n');
    expect(edited.split('\n').length).toBe(text.split('\n').length + 1);
    expect(edited).toContain('期限 2 年');
    writeFileSync(plan, edited);
    const r = reform(['rules', 'publish', dir], env());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('改革方案(reform_plan)第1版已发布且内容不同');
    expect(r.stderr).toContain('未发布任何内容');
    expect(ok(['rules', 'diff', 'pilot@latest', join(ROOT, 'rules/standard')])).toContain('含义没有变化');
  });
});
