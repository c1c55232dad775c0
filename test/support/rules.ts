import { ProcessDefinition } from '@reform/definitions';
import { readRulesDir, STANDARD_RULES_DIR } from '@reform/procedures';
import { compileRules } from '@reform/rules';

const FILING = /(时限 filing "方案备案"\n  依据 A9\n  起算 issued\n  期限 )1 个月/;

/**
 * The standard reform plan as the office would have it after changing, in reform-plan.rules,
 * the filing deadline from one month to `within` (e.g. '20 个工作日', '15 日'). The edit must
 * apply and the result compile cleanly, or the test fails here.
 */
export function reformPlanWithFilingWithin(within: string): ProcessDefinition {
  const inputs = readRulesDir(STANDARD_RULES_DIR).map((f) => (f.name.endsWith('reform-plan.rules') ? { ...f, text: f.text.replace(FILING, `$1${within}`) } : f));
  const edited = inputs.find((f) => f.name.endsWith('reform-plan.rules'))!.text;
  if (!edited.includes(`期限 ${within}`)) throw new Error('the filing deadline of reform-plan.rules no longer reads as this edit expects');
  const compiled = compileRules(inputs);
  if (!compiled.definitions) throw new Error(compiled.diagnostics.map((d) => `${d.file}:${d.range.line}:${d.range.column} ${d.message}`).join('\n'));
  return compiled.definitions.find((d) => d.id === 'reform_plan')!;
}
