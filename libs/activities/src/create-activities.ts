import type { EngineActivities, LetterRequest, OfficeConfig } from '@reform/letters';
import type { LetterStore } from '@reform/persistence';

/** Test hooks that make an attempt fail around the write; production passes none. */
export interface LetterFaults {
  beforeWrite?(req: LetterRequest): void;
  afterWrite?(req: LetterRequest): void;
}

export interface ActivityDeps {
  letters: LetterStore;
  office: OfficeConfig;
  faults?: LetterFaults;
}

/** The engine's activities: all of its I/O. A retried attempt finds the letter it already wrote. */
export function createActivities(deps: ActivityDeps): EngineActivities {
  return {
    async issueLetter(req) {
      deps.faults?.beforeWrite?.(req);
      const issued = await deps.letters.issue(req, deps.office);
      deps.faults?.afterWrite?.(req);
      return { letterId: issued.letterId, number: issued.number };
    },
  };
}
