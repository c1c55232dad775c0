import { describe, expect, it } from '@jest/globals';
import { closeState, defaultRoundName, selfInspectionItems, verificationItems } from './rounds';

// docs/api.md, supervision rounds: an item not listed is found as the unit reported it; closing needs every task verified (409 otherwise).
describe('supervision rounds', () => {
  it('sends only the findings that differ from the report, or carry a note', () => {
    const items = [
      { itemId: '1', selfInspection: { status: 'completed' as const } },
      { itemId: '2', selfInspection: { status: 'started' as const } },
      { itemId: '3', selfInspection: { status: 'started' as const } },
      { itemId: '4', selfInspection: null },
    ];
    expect(verificationItems(items, { '1': 'completed', '2': 'not_started', '3': 'started' }, { '3': ' 进度滞后 ', '1': '  ' })).toEqual([
      { itemId: '2', status: 'not_started' },
      { itemId: '3', status: 'started', note: '进度滞后' },
    ]);
    expect(verificationItems(items, {})).toEqual([]);
  });

  it('closes a round only when every task is verified', () => {
    expect(closeState({ status: 'open', counts: { tasks: 3, inspecting: 1, verification: 1, verified: 1 } })).toEqual({ canClose: false, why: '尚有 2 项自查任务未核查认定' });
    expect(closeState({ status: 'open', counts: { tasks: 2, inspecting: 0, verification: 0, verified: 2 } })).toEqual({ canClose: true, why: null });
    expect(closeState({ status: 'closed', counts: { tasks: 2, inspecting: 0, verification: 0, verified: 2 } }).canClose).toBe(false);
    expect(closeState({ status: 'opening', counts: { tasks: 0, inspecting: 0, verification: 0, verified: 0 } }).canClose).toBe(false);
  });

  it('names the mid-year round by its year (S3)', () => {
    expect(defaultRoundName(2031)).toBe('2031年年中集中督察');
  });

  it('reports every item of the task once, as chosen or as it stood at the opening', () => {
    const items = [
      { itemId: '1', statusAtOpening: 'started' as const },
      { itemId: '2', statusAtOpening: 'not_started' as const },
    ];
    expect(selfInspectionItems(items, { '1': 'completed' }, { '1': ' 已印发 ', '2': '' })).toEqual([
      { itemId: '1', status: 'completed', note: '已印发', evidenceIds: [] },
      { itemId: '2', status: 'not_started', evidenceIds: [] },
    ]);
  });
});
