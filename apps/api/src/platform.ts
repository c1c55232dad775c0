import { AuditService } from '@reform/audit';
import { auditAuthEvent, PlanDesk } from '@reform/desk';
import { AuthOptions, authOptionsFromEnv, Clock, openIdentity } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import type { DefinitionStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import type { DataSource } from 'typeorm';
import type { PrincipalResolver } from './auth';
import type { ApiDeps, Log } from './deps';

/**
 * The platform's services over one database: identity (login, tokens, units), the ledger, the
 * audit trail and the plan desk (the signed-in user's plan use cases), and the resolver that
 * turns a request's bearer token into its principal. Built by the composition root and by tests.
 */
export async function platformServices(args: {
  db: DataSource;
  /** Without it (no Temporal), no plan desk: the plan endpoints answer 503. */
  plans?: PlanService;
  definitions: DefinitionStore;
  log: Log;
  auth?: Partial<AuthOptions>;
  clock?: Clock;
  /** "Today" for the ledger's overdue and due-soon filters; tests pass the test server's clock. */
  now?: () => number | Promise<number>;
}): Promise<Pick<ApiDeps, 'identity' | 'desk' | 'audit' | 'auth'>> {
  const { db, log } = args;
  const audit = AuditService.on(db);
  const { auth, accounts, directory } = await openIdentity(db, { ...authOptionsFromEnv(), ...args.auth }, { clock: args.clock, onEvent: (e) => void auditAuthEvent(audit, e, (action, error) => log({ level: 'error', msg: 'audit write failed', action, error })) });
  const desk = args.plans && new PlanDesk({ plans: args.plans, definitions: args.definitions, ledger: new LedgerService(db, args.now), directory, accounts, audit });
  const resolver: PrincipalResolver = {
    async resolve(req) {
      const header = req.headers.authorization;
      if (typeof header !== 'string' || !/^Bearer\s+\S+$/i.test(header)) return undefined;
      return auth.verifyAccessToken(header.replace(/^Bearer\s+/i, ''));
    },
  };
  return { identity: { auth, accounts }, desk, audit, auth: resolver };
}
