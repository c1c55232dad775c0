import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { compileRules } from '@reform/rules';
import { dateIn, nextYear } from '../support/dates';
import { Harness } from '../support/harness';
import { TO_ISSUANCE_SIMPLE } from '../support/paths';

const TEMPLATE = `函件模板 提醒函
  依据 Y9
  标题 "{时限}到期提醒"
  正文 "{方案}应于{截止日期}前完成{时限}。请{牵头单位}抓紧办理。"
`;

describe('letter templates written in the rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create();
  });
  afterAll(() => h?.close());

  it('a reminder goes out in the office’s wording; letters without a template keep the standard one', async () => {
    const compiled = compileRules([...readRulesDir(STANDARD_RULES_DIR), { name: 'letters.rules', text: TEMPLATE }]);
    expect(compiled.diagnostics).toEqual([]);
    const def = compiled.definitions!.find((d) => d.id === 'reform_plan')!;
    expect(def.letterTemplates).toEqual([{ kind: 'reminder', subject: '{时限}到期提醒', paragraphs: ['{方案}应于{截止日期}前完成{时限}。请{牵头单位}抓紧办理。'], source: 'Y9' }]);

    const year = nextYear(await h.today());
    const handle = await h.start(def);
    await h.actAll(handle, TO_ISSUANCE_SIMPLE);
    await h.travelTo(dateIn(year, 5, 10), 9 * 60);
    await h.act(handle, 'issue', 'lead_unit');
    // Filing due one month later, 10 June: reminded before, supervised once the 10th has ended.
    await h.travelTo(dateIn(year, 6, 11), 1);
    await h.eventually(() => h.view(handle), (v) => v.letters.length >= 2);
    const [reminder, supervision] = await h.letters.forWorkflow(handle.workflowId);
    expect(reminder.subject).toBe('方案备案到期提醒');
    expect(reminder.body).toContain(`《关于深化营商环境改革的实施方案》应于${year}年6月10日前完成方案备案。请省发展改革委抓紧办理。`);
    expect(supervision.subject).toContain('的督办函');
  });
});
