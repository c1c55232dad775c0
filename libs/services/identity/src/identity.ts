import { DataSource } from 'typeorm';
import { UserAccounts } from './accounts';
import { AuthOptions } from './auth-options';
import { AuthEvent, AuthService } from './auth-service';
import { Clock, systemClock } from './clock';
import { UnitDirectory } from './unit-directory';

/** The identity services over one database, as the API wires them (options from `authOptionsFromEnv`). */
export interface Identity {
  directory: UnitDirectory;
  accounts: UserAccounts;
  auth: AuthService;
}

export async function openIdentity(ds: DataSource, options: Partial<AuthOptions> = {}, deps: { clock?: Clock; onEvent?: (e: AuthEvent) => void | Promise<void> } = {}): Promise<Identity> {
  const clock = deps.clock ?? systemClock;
  const auth = await AuthService.create(ds, options, { ...deps, clock });
  // One cache of callers for the process: the accounts drop a user whose roles or unit they change.
  return { directory: new UnitDirectory(ds), accounts: new UserAccounts(ds, clock, auth.callers), auth };
}
