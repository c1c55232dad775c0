import { ApplicationFailure } from '@temporalio/workflow';
import { guarded, INTERNAL_ERROR } from './guarded';

/** A plan's state as a handler sees it: one value it changes, saved and put back by `save`. */
function plan() {
  const s = { stage: 'filing', saves: 0 };
  return {
    s,
    state: {
      save() {
        s.saves++;
        const stage = s.stage;
        return () => {
          s.stage = stage;
        };
      },
    },
  };
}

describe('guarded Update handlers', () => {
  it('answer as the handler does when it succeeds', () => {
    const { s, state } = plan();
    const reported: unknown[] = [];
    const act = guarded(state, (e) => reported.push(e), (to: string) => {
      s.stage = to;
      return `now ${to}`;
    });
    expect(act('implementation')).toBe('now implementation');
    expect(s.stage).toBe('implementation');
    expect(reported).toEqual([]);
  });

  it('turn a bug (TypeError) into a failed Update, put the state back and report it', () => {
    const { s, state } = plan();
    const reported: unknown[] = [];
    const act = guarded(state, (e) => reported.push(e), (to: string) => {
      s.stage = to;
      const missing = undefined as unknown as { label: string };
      return missing.label;
    });
    let thrown: unknown;
    try {
      act('implementation');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ type: INTERNAL_ERROR, nonRetryable: true, message: '系统内部错误,本次操作未生效;请联系运维人员查看工作流日志' });
    expect(s.stage).toBe('filing');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(TypeError);
  });

  it('let a rejection through as it is', () => {
    const { state } = plan();
    const rejection = ApplicationFailure.create({ message: '「办结」不能办理', type: 'ActionRejected', nonRetryable: true });
    const act = guarded(state, () => undefined, () => {
      throw rejection;
    });
    expect(() => act()).toThrow(rejection);
  });
});
