import type { LetterRequest, OfficeConfig } from '@reform/letters';

export const OFFICE: OfficeConfig = { name: '某某市委全面深化改革委员会办公室', numberPrefix: '改办函' };
export const OTHER_OFFICE: OfficeConfig = { name: '某某市委全面深化改革委员会办公室', numberPrefix: '改办督' };

export interface LetterOverrides {
  workflowId?: string;
  issuedOn?: string;
  kind?: LetterRequest['kind'];
  level?: number;
  limitUntil?: string;
}

/** A complete, realistic request for one letter; the key is what makes it "the same letter". */
export function letterRequest(idempotencyKey: string, o: LetterOverrides = {}): LetterRequest {
  const issuedOn = o.issuedOn ?? '2026-03-10';
  return {
    idempotencyKey,
    workflowId: o.workflowId ?? 'plan-0001',
    procedure: { id: 'reform_plan', version: 1, title: '改革方案' },
    plan: { title: '关于深化营商环境改革的实施方案', leadUnit: '市发展改革委', responsiblePerson: '张三', specialGroup: '经济体制改革专项小组' },
    deadline: {
      key: 'filing#1',
      id: 'filing',
      label: '备案',
      source: 'A9',
      anchor: '2026-01-05',
      due: '2026-03-05',
      explanation: ['自2026年1月5日起算,2个月后为2026年3月5日'],
    },
    level: o.level ?? 0,
    kind: o.kind ?? 'reminder',
    source: 'Y9',
    to: [{ role: 'lead_unit', name: '市发展改革委' }],
    cc: [{ role: 'special_group', name: '经济体制改革专项小组' }],
    issuedOn,
    ...(o.limitUntil ? { limitUntil: o.limitUntil } : {}),
  };
}
