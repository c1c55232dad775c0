import { AuditService } from '@reform/audit';
import { AppConfig, UserError } from '@reform/config';
import { auditAuthEvent, Caller, PlanDesk } from '@reform/desk';
import { authOptionsFromEnv, openIdentity, UnitDirectory, UserAccounts } from '@reform/identity';
import { LedgerService } from '@reform/ledger';
import { DefinitionStore } from '@reform/persistence';
import type { PlanService } from '@reform/plans';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { withPlans } from './context';

/** The services a command builds its desk from, beside the plan desk (the task-list import's). */
export interface DeskServices {
  db: DataSource;
  cfg: AppConfig;
  definitions: DefinitionStore;
  directory: UnitDirectory;
  accounts: UserAccounts;
  audit: AuditService;
}

/** Who runs a plan command: `--user`, else REFORM_USER; `--request-id`, to repeat an earlier command's request. */
export interface SignIn {
  user?: string;
  /**
   * The command's request id (the API's X-Request-Id): the same id again does what the first
   * command did, once (a round opening or a handover that died part-way is completed). Default:
   * a new one per command.
   */
  requestId?: string;
}

/** A request id as the API keeps a client's (a plain token), at most 100 characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The command's request id: the one given (checked), else a new one. */
export function requestIdOf(o: SignIn): string {
  if (o.requestId === undefined) return randomUUID();
  const id = o.requestId.trim();
  if (!REQUEST_ID.test(id)) throw new UserError('--request-id 应为 1 至 100 个字母、数字或 . _ : - 组成的编号');
  return id;
}

/**
 * Reads a password from the terminal without echoing it (raw mode: no line discipline, so
 * nothing typed is shown); Ctrl-C or Ctrl-D gives up. Never logged, never kept.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let typed = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err: Error | null) => {
      input.setRawMode(wasRaw);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new UserError('已取消'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The password: REFORM_PASSWORD, else typed at a hidden prompt when a terminal is there to type it. */
async function passwordFor(username: string): Promise<string> {
  const given = process.env.REFORM_PASSWORD;
  if (given !== undefined && given !== '') return given;
  if (!process.stdin.isTTY) throw new UserError('须提供密码:设置环境变量 REFORM_PASSWORD,或在终端中运行以便输入密码');
  return promptHidden(`用户 ${username} 的密码:`);
}

/**
 * Runs a plan command as a signed-in user, through the same PlanDesk the API's plan routes
 * call: the user logs in with their password (argon2, lockout after repeated failures, the
 * login audited as in the API), and the engine role of each act is derived from their unit's
 * relation to the plan, never claimed. The login session ends with the command (its refresh
 * token is revoked). Every command gets a request id of its own, carried into the audit trail.
 */
export async function withDesk<T>(o: SignIn, work: (desk: PlanDesk, caller: Caller, plans: PlanService, services: DeskServices) => Promise<T>): Promise<T> {
  const username = (o.user ?? process.env.REFORM_USER ?? '').trim();
  if (!username) throw new UserError('须指明以哪个账号办理:--user <用户名>,或设置环境变量 REFORM_USER');
  return withPlans(async (plans, db, cfg) => {
    const audit = AuditService.on(db);
    const failed: string[] = [];
    const { auth, accounts, directory } = await openIdentity(db, authOptionsFromEnv(), {
      onEvent: (e) => auditAuthEvent(audit, e, (action, error) => failed.push(`${action}:${error}`)),
    });
    try {
      const requestId = requestIdOf(o);
      const password = await passwordFor(username);
      const tokens = await auth.login(username, password, { requestId });
      try {
        const principal = await auth.verifyAccessToken(tokens.accessToken);
        const definitions = new DefinitionStore(db);
        const desk = new PlanDesk({ plans, definitions, ledger: new LedgerService(db), directory, accounts, audit });
        return await work(desk, { principal, requestId }, plans, { db, cfg, definitions, directory, accounts, audit });
      } finally {
        await auth.logout(tokens.refreshToken);
      }
    } finally {
      for (const f of failed) console.error(`警告:审计记录未能写入(${f})`);
    }
  });
}
