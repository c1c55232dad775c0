import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { EngineActivities, LetterRequest, OfficeConfig } from '@reform/letters';
import type { LedgerActivities } from '@reform/machine';
import { describeWriteError, isPermanentWriteError, type LedgerStore, type LetterStore } from '@reform/persistence';

/** Test hooks that make an attempt fail around the write; production passes none. */
export interface LetterFaults {
  beforeWrite?(req: LetterRequest): void;
  afterWrite?(req: LetterRequest): void;
}

export interface ActivityDeps {
  letters: LetterStore;
  /** The ledger the plans' projections are written to (issue 8). */
  ledger: LedgerStore;
  office: OfficeConfig;
  faults?: LetterFaults;
}

/**
 * Attempts during which a letter waits for its plan's ledger row (the projection activity runs
 * beside it when a plan is late at registration), so the letter reaches the plan's units; after
 * them (about 15 seconds of retries) it is written without (a plan the ledger never holds).
 */
export const LETTER_LEDGER_ATTEMPTS = 5;

/** The attempt of the activity running now (1 outside an activity: a direct call). */
function attempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** The failure type of a letter the store refuses for good (not retried; the workflow records it). */
export const LETTER_REFUSED = 'LetterRefused';
/** The failure type of a projection the ledger refuses for good. */
export const LEDGER_REFUSED = 'LedgerRefused';

/**
 * The engine's activities: all of its I/O. A retried attempt finds the letter it already wrote.
 * A write that can never succeed (a value too long for its column, a constraint) fails for good,
 * so it is not retried forever and does not hold up the plan's later letters.
 */
export function createActivities(deps: ActivityDeps): EngineActivities & LedgerActivities {
  return {
    /**
     * The plan's projection into the ledger: ordered by its change counter, so a retry or a late
     * delivery changes nothing. The acts it carries are audited in the same transaction, once each.
     * A write that can never succeed fails for good (the workflow logs
     * it and writes again at the plan's next change; `reform ledger rebuild` repairs the rest).
     */
    async projectPlan(projection, acts) {
      try {
        return await deps.ledger.upsert(projection, undefined, acts);
      } catch (e) {
        if (!isPermanentWriteError(e)) throw e;
        const reason = describeWriteError(e);
        log.error('台账无法写入,不再重试', { planId: projection.planId, changeCounter: projection.changeCounter, reason });
        throw ApplicationFailure.create({ message: reason, type: LEDGER_REFUSED, nonRetryable: true });
      }
    },
    async issueLetter(req) {
      try {
        deps.faults?.beforeWrite?.(req);
        const issued = await deps.letters.issue(req, deps.office, new Date(), { awaitLedger: attempt() < LETTER_LEDGER_ATTEMPTS });
        deps.faults?.afterWrite?.(req);
        return { letterId: issued.letterId, number: issued.number };
      } catch (e) {
        if (!isPermanentWriteError(e)) throw e;
        const reason = describeWriteError(e);
        log.error('函件无法写入,不再重试', { idempotencyKey: req.idempotencyKey, reason });
        throw ApplicationFailure.create({ message: reason, type: LETTER_REFUSED, nonRetryable: true });
      }
    },
  };
}
