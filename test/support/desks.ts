import { AuditService } from '@reform/audit';
import { SHIPPED_HOLIDAYS } from '@reform/calendar';
import { DeliberationDesk, PlanDesk, ProblemDesk, RoundDesk } from '@reform/desk';
import { UnitDirectory, UserAccounts } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import { DefinitionStore, EvidenceStore, LetterStore, ProblemStore, RoundStore } from '@reform/persistence';
import { PlanService } from '@reform/plans';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';

/** The desks of issue 9 as the API wires them (apps/api/src/platform.ts), on one database and Temporal client. */
export function buildDesks(o: { ds: DataSource; client: Client; taskQueue: string; now: () => number | Promise<number>; evidenceDir: string; planService?: typeof PlanService }) {
  const { ds, now } = o;
  const definitions = new DefinitionStore(ds);
  const letters = new LetterStore(ds);
  const plans = new (o.planService ?? PlanService)(o.client, o.taskQueue, definitions, SHIPPED_HOLIDAYS, letters, now);
  const directory = new UnitDirectory(ds);
  const accounts = new UserAccounts(ds);
  const audit = AuditService.on(ds);
  const ledger = new LedgerService(ds, now);
  const evidence = new EvidenceStore(ds, o.evidenceDir);
  const desk = new PlanDesk({ plans, definitions, ledger, directory, accounts, audit });
  return {
    plans,
    desk,
    audit,
    directory,
    accounts,
    definitions,
    problems: new ProblemDesk({ desk, plans, problems: new ProblemStore(ds), definitions, directory, evidence, letters, audit, now }),
    rounds: new RoundDesk({ desk, plans, rounds: new RoundStore(ds), definitions, directory, evidence, letters, audit, db: ds, now }),
    deliberation: new DeliberationDesk({ desk, ledger, definitions, audit, db: ds }),
  };
}
