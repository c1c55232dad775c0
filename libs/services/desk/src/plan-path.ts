import { describeCondition, holds, ProcessDefinition } from '@reform/definitions';

/** Where a stage of the procedure stands for one plan, as the guided procedure shows it. */
export type PathStageState = 'passed' | 'current' | 'ahead' | 'skipped';

export interface PathStage {
  id: string;
  label: string;
  /** The rule it comes from (A8 …). */
  source: string | null;
  state: PathStageState;
  /** Why the stage does not apply to this plan (Chinese); null when it applies. */
  notApplicable: string | null;
  /** Its actions, with the roles that may take them and whether the caller holds one of those roles on this plan. */
  actions: Array<{ action: string; label: string; roles: Array<{ id: string; label: string }>; mine: boolean; needsReason: boolean; /** It registers or changes a specific reform item (S2): its form asks for the item. */ item: boolean }>;
}

/**
 * The path the plan takes through its procedure given its attributes (the stages' 适用
 * conditions, as the engine decides them with `holds`): each stage passed, current, ahead or
 * skipped with why, and who may act in it. Read from the definition the plan runs on; what the
 * plan may do now is the engine's (PlanDetail.actions), not this.
 */
export function planPath(def: ProcessDefinition, attributes: Record<string, boolean>, currentStageId: string, myRoles: string[]): PathStage[] {
  const attr = (id: string) => def.attributes.find((a) => a.id === id)?.label ?? id;
  const role = (id: string) => ({ id, label: def.roles.find((r) => r.id === id)?.label ?? id });
  const current = def.stages.findIndex((s) => s.id === currentStageId);
  return def.stages.map((s, i) => {
    const applies = !s.when || holds(s.when, attributes);
    const state: PathStageState = !applies ? 'skipped' : i === current ? 'current' : i < current ? 'passed' : 'ahead';
    return {
      id: s.id,
      label: s.label,
      source: s.source ?? null,
      state,
      notApplicable: applies ? null : `本方案不适用:仅适用于${describeCondition(s.when!, attr)}的方案`,
      actions: s.actions
        .filter((a) => !a.when || holds(a.when, attributes))
        .map((a) => ({ action: a.id, label: a.label, roles: a.roles.map(role), mine: a.roles.some((r) => myRoles.includes(r)), needsReason: a.needsReason, item: a.item !== undefined })),
    };
  });
}
