import { checkColumnLengths, isUniqueViolation, UnitEntity, UserEntity, UserRow } from '@reform/persistence';
import { UNIT_ROLE_LABELS, UNIT_ROLES, UnitRole, UserProfile } from '@reform/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { CallerCache } from './caller-cache';
import { Clock, systemClock } from './clock';
import { IdentityInputError } from './errors';
import { hashPassword } from './passwords';
import { UnitDirectory } from './unit-directory';

export interface NewUser {
  username: string;
  displayName: string;
  unitId: string;
  roles: UnitRole[];
  /** Hashed with argon2id; only the hash is stored. */
  password: string;
}

/** The roles column: a JSON array of unit roles (anything else read back is dropped). */
export function rolesOf(row: Pick<UserRow, 'roles'>): UnitRole[] {
  try {
    const parsed: unknown = JSON.parse(row.roles);
    return Array.isArray(parsed) ? parsed.filter((r): r is UnitRole => (UNIT_ROLES as readonly string[]).includes(r)) : [];
  } catch {
    return [];
  }
}

/** Accounts: create one (for the demo seed and administration), read a profile. */
export class UserAccounts {
  constructor(
    private readonly ds: DataSource | EntityManager,
    private readonly clock: Clock = systemClock,
    /** The process's cached callers (AuthService's): a user whose roles or unit change here is dropped from it at once. */
    private readonly callers?: Pick<CallerCache, 'forgetUser'>,
  ) {}

  private get manager(): EntityManager {
    return this.ds instanceof DataSource ? this.ds.manager : this.ds;
  }

  /** Creates an account in a unit; the password is stored only as its argon2id hash. */
  async create(input: NewUser): Promise<UserProfile> {
    const username = input.username.trim();
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(username)) throw new IdentityInputError(`用户名「${username}」只能含小写字母、数字、点、连字符和下划线`);
    const displayName = input.displayName.trim();
    if (!displayName) throw new IdentityInputError(`用户「${username}」须写明姓名`);
    const bad = input.roles.filter((r) => !(UNIT_ROLES as readonly string[]).includes(r));
    if (bad.length) throw new IdentityInputError(`用户「${username}」的单位内角色「${bad.join('、')}」不对,应为 ${UNIT_ROLES.join('、')} 之一`);
    if (!input.roles.length) throw new IdentityInputError(`用户「${username}」须至少担任一个单位内角色`);
    if (!(await this.manager.getRepository(UnitEntity).countBy({ id: input.unitId }))) throw new IdentityInputError(`用户「${username}」所在单位「${input.unitId}」不存在`, 404);
    const row: UserRow = {
      id: randomUUID(),
      username,
      displayName,
      unitId: input.unitId,
      roles: JSON.stringify([...new Set(input.roles)]),
      passwordHash: await hashPassword(input.password),
      failedLogins: 0,
      lockedUntil: null,
      createdAt: this.clock.now().toISOString(),
    };
    try {
      checkColumnLengths(UserEntity, row, '用户');
    } catch (e) {
      throw new IdentityInputError((e as Error).message);
    }
    try {
      await this.manager.getRepository(UserEntity).insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdentityInputError(`用户名「${username}」已被使用`, 409);
      throw e;
    }
    return (await this.profile(row.id))!;
  }

  /**
   * Moves a user to another unit and/or gives them other roles. Their sessions stay signed in and
   * act with the new unit and roles from the next request (in another process within its caller
   * cache's time).
   */
  async assign(userId: string, change: { unitId?: string; roles?: UnitRole[] }): Promise<UserProfile> {
    const users = this.manager.getRepository(UserEntity);
    const row = await users.findOneBy({ id: userId });
    if (!row) throw new IdentityInputError(`用户「${userId.slice(0, 64)}」不存在`, 404);
    if (change.roles) {
      const bad = change.roles.filter((r) => !(UNIT_ROLES as readonly string[]).includes(r));
      if (bad.length) throw new IdentityInputError(`用户「${row.username}」的单位内角色「${bad.join('、')}」不对,应为 ${UNIT_ROLES.join('、')} 之一`);
      if (!change.roles.length) throw new IdentityInputError(`用户「${row.username}」须至少担任一个单位内角色`);
    }
    if (change.unitId !== undefined && !(await this.manager.getRepository(UnitEntity).countBy({ id: change.unitId }))) {
      throw new IdentityInputError(`用户「${row.username}」要调入的单位「${change.unitId.slice(0, 64)}」不存在`, 404);
    }
    await users.update({ id: userId }, { ...(change.unitId !== undefined ? { unitId: change.unitId } : {}), ...(change.roles ? { roles: JSON.stringify([...new Set(change.roles)]) } : {}) });
    this.callers?.forgetUser(userId);
    return (await this.profile(userId))!;
  }

  /** The profile the API shows the signed-in user (null for an unknown id). */
  async profile(userId: string): Promise<UserProfile | null> {
    const row = await this.manager.getRepository(UserEntity).findOneBy({ id: userId });
    if (!row) return null;
    const unit = await new UnitDirectory(this.manager).unit(row.unitId);
    if (!unit) return null;
    const roles = rolesOf(row);
    return { id: row.id, username: row.username, displayName: row.displayName, unit, roles, roleLabels: roles.map((r) => UNIT_ROLE_LABELS[r]) };
  }
}
