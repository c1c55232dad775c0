import { IDENTITY_LIMITS as L, RegionLevel, UnitKind } from '@reform/platform';
import { EntitySchema } from 'typeorm';

/** A region of the government hierarchy, with its materialized path (`/sc/cd/`). */
export interface RegionRow {
  id: string;
  name: string;
  level: RegionLevel;
  parentId: string | null;
  path: string;
}

/** A unit at a region: its reform office, leading group, a special group (with an area), a department, its legal office. */
export interface UnitRow {
  id: string;
  name: string;
  kind: UnitKind;
  regionId: string;
  area: string | null;
}

/** An account: belongs to one unit and holds roles there (JSON array of unit roles). */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: string;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: string | null;
  /** When the latest failed login was (failures count as consecutive within the lock window only). */
  lastFailedAt?: string | null;
  createdAt: string;
}

/** A refresh token, stored only as its SHA-256; one family per login, rotated on every use. */
export interface RefreshTokenRow {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

/** Consecutive failed logins under a name no account has (an account counts its own): unknown names lock like known ones. */
export interface LoginFailureRow {
  username: string;
  failedLogins: number;
  lockedUntil: string | null;
  updatedAt: string;
}

/** Secrets the platform generated for itself (the access-token signing key when REFORM_AUTH_SECRET is not set). */
export interface PlatformSecretRow {
  name: string;
  value: string;
  createdAt: string;
}

export const RegionEntity = new EntitySchema<RegionRow>({
  name: 'Region',
  tableName: 'regions',
  columns: {
    id: { type: 'varchar', length: L.regionId, primary: true },
    name: { type: 'varchar', length: L.name },
    level: { type: 'varchar', length: 20 },
    parentId: { name: 'parent_id', type: 'varchar', length: L.regionId, nullable: true },
    path: { type: 'varchar', length: L.regionPath },
  },
});

export const UnitEntity = new EntitySchema<UnitRow>({
  name: 'Unit',
  tableName: 'units',
  columns: {
    id: { type: 'varchar', length: L.unitId, primary: true },
    name: { type: 'varchar', length: L.name },
    kind: { type: 'varchar', length: 30 },
    regionId: { name: 'region_id', type: 'varchar', length: L.regionId },
    area: { type: 'varchar', length: L.name, nullable: true },
  },
});

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'varchar', length: L.unitId, primary: true },
    username: { type: 'varchar', length: L.username },
    displayName: { name: 'display_name', type: 'varchar', length: L.name },
    unitId: { name: 'unit_id', type: 'varchar', length: L.unitId },
    roles: { type: 'text' },
    passwordHash: { name: 'password_hash', type: 'varchar', length: L.passwordHash },
    failedLogins: { name: 'failed_logins', type: 'int' },
    lockedUntil: { name: 'locked_until', type: 'varchar', length: L.instant, nullable: true },
    lastFailedAt: { name: 'last_failed_at', type: 'varchar', length: L.instant, nullable: true },
    createdAt: { name: 'created_at', type: 'varchar', length: L.instant },
  },
});

export const RefreshTokenEntity = new EntitySchema<RefreshTokenRow>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  columns: {
    id: { type: 'varchar', length: L.unitId, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: L.unitId },
    familyId: { name: 'family_id', type: 'varchar', length: L.unitId },
    tokenHash: { name: 'token_hash', type: 'varchar', length: L.sha256Hex },
    createdAt: { name: 'created_at', type: 'varchar', length: L.instant },
    expiresAt: { name: 'expires_at', type: 'varchar', length: L.instant },
    usedAt: { name: 'used_at', type: 'varchar', length: L.instant, nullable: true },
    revokedAt: { name: 'revoked_at', type: 'varchar', length: L.instant, nullable: true },
  },
});

export const LoginFailureEntity = new EntitySchema<LoginFailureRow>({
  name: 'LoginFailure',
  tableName: 'login_failures',
  columns: {
    username: { type: 'varchar', length: L.username, primary: true },
    failedLogins: { name: 'failed_logins', type: 'int' },
    lockedUntil: { name: 'locked_until', type: 'varchar', length: L.instant, nullable: true },
    updatedAt: { name: 'updated_at', type: 'varchar', length: L.instant },
  },
});

export const PlatformSecretEntity = new EntitySchema<PlatformSecretRow>({
  name: 'PlatformSecret',
  tableName: 'platform_secrets',
  columns: {
    name: { type: 'varchar', length: 50, primary: true },
    value: { type: 'varchar', length: 200 },
    createdAt: { name: 'created_at', type: 'varchar', length: L.instant },
  },
});

export const IDENTITY_ENTITIES = [RegionEntity, UnitEntity, UserEntity, RefreshTokenEntity, LoginFailureEntity, PlatformSecretEntity];
