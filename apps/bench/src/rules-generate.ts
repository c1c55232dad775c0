import type { RulesInput } from '@reform/rules';
import { prng } from './rules-model';

/**
 * A large ruleset in the rules language, for the compile timings: `procedures` procedures of
 * `stagesPer` stages and `deadlinesPer` deadlines each, one file per procedure plus a shared file
 * of roles, attributes and ladders (as rules/standard does). It uses every construct the standard
 * rules use: stages that apply under conditions (且/或/非), prerequisites (须先完成), rejections
 * back to drafting (须说明理由), events recorded by actions, deadlines in days, working days,
 * months and years, counted from a while after the event (满 … 截至 6月30日), cadences (重复),
 * shared ladders in full or in part (催办 standard 前 2 级) and ladders written out level by
 * level. Deterministic: the same arguments give the same text.
 */
export interface GeneratedRules {
  inputs: RulesInput[];
  procedures: number;
  stages: number;
  deadlines: number;
  lines: number;
  bytes: number;
}

const ATTRS = ['major', 'cross_department', 'affects_public', 'technical', 'stability_risk', 'party_document', 'government_duties', 'central_plan', 'pilot'];
const SOURCES = ['A5', 'A6', 'A7', 'A8', 'A9', 'A12', 'A13', 'A16', 'S1', 'S2', 'S3', 'Y9'];

function common(): string {
  return `# 生成的规则集:各程序共用的角色、属性和催办梯度。
角色 reform_office "改革办"
角色 leading_group "改革领导小组" 致函 "改革领导小组"
角色 special_group "专项小组" 致函 本方案专项小组
角色 lead_unit "牵头单位" 致函 本方案牵头单位
角色 all_units "各有关单位" 致函 "各有关单位"

${ATTRS.map((a, i) => `属性 ${a} "属性${i + 1}"`).join('\n')}

催办梯度 standard "标准催办"
  提醒函 到期前 5 个工作日 致 lead_unit 依据 Y9
  督办函 到期后 致 lead_unit 抄送 special_group 限期 10 个工作日 依据 Y9
  点名通报 前函限期届满后 致 all_units 抄送 special_group 限期 10 个工作日 依据 A13
  约谈 前函限期届满后 致 lead_unit 抄送 leading_group 依据 A13

催办梯度 light "轻度催办"
  提醒函 到期前 3 日 致 lead_unit 依据 Y9
  督办函 到期后 致 lead_unit 限期 5 个工作日 依据 Y9
`;
}

function procedure(p: number, stages: number, deadlines: number, rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const sid = (i: number) => `s${String(i).padStart(3, '0')}`;
  const ev = (i: number) => `e${String(i).padStart(3, '0')}`;
  const id = `gen_${String(p).padStart(2, '0')}`;
  const out: string[] = [];
  out.push(`# 生成的程序 ${p}:${stages} 个阶段,${deadlines} 个时限。`);
  out.push(`程序 ${id} "生成程序${p}"`, `  依据 ${pick(SOURCES)}`, `  启动时登记 ${ev(0)}`, '');
  // One event per stage, recorded by the stage's main action; e000 is recorded at start.
  for (let i = 0; i < stages; i++) out.push(`事件 ${ev(i)} "事件${i}"`);
  out.push('');
  const condition = (): string => {
    const a = pick(ATTRS);
    let b = pick(ATTRS);
    while (b === a) b = pick(ATTRS);
    switch (int(0, 3)) {
      case 0:
        return a;
      case 1:
        return `${a} 或 ${b}`;
      case 2:
        return `${a} 且 非 ${b}`;
      default:
        return `非 (${a} 或 ${b})`;
    }
  };
  for (let i = 1; i < stages; i++) {
    const last = i === stages - 1;
    out.push(`阶段 ${sid(i)} "阶段${i}"`, `  依据 ${pick(SOURCES)}`);
    if (last) {
      out.push('  终结', '');
      continue;
    }
    // A stage in five applies only under a condition (not the first: the plan starts there).
    if (i > 1 && i < stages - 2 && rnd() < 0.2) out.push(`  适用 ${condition()}`);
    if (i > 3 && rnd() < 0.25) out.push(`  须先完成 ${sid(int(1, i - 1))}`);
    out.push(`  动作 act${i} "完成阶段${i}" 由 lead_unit、special_group 转入 ${sid(i + 1)} 记录 ${ev(i)}`);
    if (i > 2 && rnd() < 0.3) out.push(`  动作 back${i} "退回阶段${i}" 由 special_group 转入 ${sid(1)} 须说明理由`);
    if (rnd() < 0.2) out.push(`  动作 note${i} "登记阶段${i}情况" 由 reform_office`);
    out.push('');
  }
  for (let k = 0; k < deadlines; k++) {
    const from = int(0, stages - 3);
    const met = int(from + 1, stages - 2);
    out.push(`时限 d${String(k).padStart(3, '0')} "时限${k}"`, `  依据 ${pick(SOURCES)}`);
    if (rnd() < 0.3) out.push(`  适用 ${condition()}`);
    const shape = rnd();
    if (shape < 0.1) {
      out.push(`  起算 ${ev(from)} 满 ${int(1, 6)} 个月`, `  截至 ${int(1, 12)}月${int(1, 28)}日`);
    } else {
      out.push(`  起算 ${ev(from)}`);
      out.push(`  期限 ${pick([`${int(1, 12)} 个月`, `${int(5, 60)} 个工作日`, `${int(10, 90)} 日`, '1 年'])}`);
    }
    out.push(`  完成 ${ev(met)}`);
    if (rnd() < 0.2) out.push(`  重复 每 ${pick(['6 个月', '1 年', '3 个月'])}`);
    const ladder = rnd();
    if (ladder < 0.5) out.push('  催办 standard');
    else if (ladder < 0.7) out.push(`  催办 standard 前 ${int(1, 3)} 级`);
    else if (ladder < 0.85) out.push('  催办 light');
    else {
      out.push(`  提醒函 到期前 ${int(2, 10)} 个工作日 致 lead_unit 依据 Y9`);
      out.push(`  督办函 到期后 致 lead_unit 抄送 special_group 限期 ${int(5, 15)} 个工作日 依据 Y9`);
      if (rnd() < 0.5) out.push('  约谈 前函限期届满后 致 lead_unit 抄送 leading_group 依据 A13');
    }
    out.push('');
  }
  // Stage 0 comes first: the plan starts there (e000 is recorded at start).
  const head = [`阶段 ${sid(0)} "起草"`, `  依据 ${pick(SOURCES)}`, `  动作 act0 "开始" 由 lead_unit 转入 ${sid(1)}`, ''];
  const at = out.findIndex((l) => l.startsWith(`阶段 ${sid(1)} `));
  out.splice(at, 0, ...head);
  return out.join('\n');
}

export function generateRules(procedures: number, stagesPer: number, deadlinesPer: number, seed = 7): GeneratedRules {
  const rnd = prng(seed);
  const inputs: RulesInput[] = [{ name: 'generated/common.rules', text: common() }];
  for (let p = 1; p <= procedures; p++) inputs.push({ name: `generated/gen-${String(p).padStart(2, '0')}.rules`, text: procedure(p, stagesPer, deadlinesPer, rnd) });
  const text = inputs.map((i) => i.text).join('\n');
  return {
    inputs,
    procedures,
    stages: procedures * stagesPer,
    deadlines: procedures * deadlinesPer,
    lines: text.split('\n').length,
    bytes: Buffer.byteLength(text),
  };
}

export interface UnknownNamesFile {
  input: RulesInput;
  bytes: number;
  declaredEvents: number;
  unknownNames: number;
}

/**
 * One procedure file of about 550 KB whose references are mostly wrong: `events` declared
 * events and `stages` stages, each stage's action going to a misspelled stage and recording a
 * misspelled event (every third a name like nothing declared). 2 × `stages` unknown names, each
 * with thousands of declared names of its kind to be compared with: what made `reform rules
 * check` quadratic.
 */
export function generateUnknownNames(events = 5000, stages = 3400): UnknownNamesFile {
  const pad = (i: number) => String(i).padStart(4, '0');
  const out = ['程序 big "大文件"', '  依据 A5', '  启动时登记 event_0000', '角色 lead_unit "牵头单位"'];
  for (let i = 0; i < events; i++) out.push(`事件 event_${pad(i)} "事件${i}"`);
  for (let i = 0; i < stages; i++) {
    const records = i % 3 === 2 ? `qqq_${pad(i)}` : `evnt_${pad(i)}`;
    out.push(`阶段 stage_${pad(i)} "阶段${i}"`, '  依据 A5', `  动作 act_${pad(i)} "办理${i}" 由 lead_unit 转入 stag_${pad(i + 1)} 记录 ${records}`);
  }
  out.push(`阶段 stage_${pad(stages)} "完成"`, '  依据 A5', '  终结');
  const text = `${out.join('\n')}\n`;
  return { input: { name: 'generated/unknown-names.rules', text }, bytes: Buffer.byteLength(text), declaredEvents: events, unknownNames: 2 * stages };
}
