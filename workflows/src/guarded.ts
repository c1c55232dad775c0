import { ApplicationFailure, TemporalFailure } from '@temporalio/workflow';

/** What an Update may change: `save` takes a copy and returns what puts it back. */
export interface Restorable {
  save(): () => void;
}

/** The failure an Update ends with when its handler broke: no detail a clerk cannot use. */
export const INTERNAL_ERROR = 'InternalError';

/**
 * An Update handler that cannot fail a workflow task. In the TypeScript SDK an error thrown by a
 * handler after validation fails the Update only if it is a Temporal failure; anything else (a
 * TypeError from a bug) fails the workflow task, which is retried forever and blocks the plan.
 * Here such an error puts the plan's state back as it was before the handler ran, is reported
 * (the workflow logs it), and fails only this Update with a Chinese message. Rejections
 * (ApplicationFailure) pass through as they are.
 */
export function guarded<A extends unknown[], R>(state: Restorable, report: (err: unknown) => void, handler: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    const restore = state.save();
    try {
      return handler(...args);
    } catch (err) {
      if (err instanceof TemporalFailure) throw err;
      restore();
      report(err);
      throw ApplicationFailure.create({ message: '系统内部错误,本次操作未生效;请联系运维人员查看工作流日志', type: INTERNAL_ERROR, nonRetryable: true });
    }
  };
}
