import { z } from 'zod';
import { REGION_LEVEL_LABELS, REGION_LEVELS, UNIT_KIND_LABELS, UNIT_KINDS } from './scope';

/**
 * Lengths of the unit directory's and accounts' fields, checked where input enters (the schemas
 * here) and used for the database columns (libs/adapters/persistence identity entities), so
 * nothing reaches the database longer than its column.
 */
export const IDENTITY_LIMITS = {
  /** A region id: one segment of a region path (`cd` in `/sc/cd/`). */
  regionId: 40,
  /** A region's materialized path: up to three segments and their slashes. */
  regionPath: 200,
  /** A unit id (and a user id, a refresh token id). */
  unitId: 64,
  /** Names of regions and units, a person's display name, a special group's area. */
  name: 100,
  /** A login name. */
  username: 64,
  /** A password as typed (a longer one is refused before hashing, so a huge body cannot cost an argon2 run). */
  password: 200,
  /** A stored argon2id hash (PHC string). */
  passwordHash: 200,
  /** A role a user holds in their unit ('staff', 'head', 'admin'). */
  role: 30,
  /** A refresh token as the client holds it (base64url of 32 random bytes is 43 characters). */
  refreshToken: 100,
  /** A SHA-256 hash in hex. */
  sha256Hex: 64,
  /** An instant as ISO 8601 text. */
  instant: 30,
} as const;

/** Region ids are path segments: lowercase letters, digits and hyphens. */
export const REGION_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** Unit ids: lowercase letters, digits, hyphens, dots and underscores. */
export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export const RegionLevelSchema = z.enum(REGION_LEVELS, { error: `层级应为 ${REGION_LEVELS.join('、')} 之一` });
export const UnitKindSchema = z.enum(UNIT_KINDS, { error: `单位类别应为 ${UNIT_KINDS.join('、')} 之一` });

export const UnitIdSchema = z
  .string({ error: '单位编号应为文本' })
  .min(1, '单位编号不能为空')
  .max(IDENTITY_LIMITS.unitId, `单位编号最长 ${IDENTITY_LIMITS.unitId} 个字符`)
  .regex(UNIT_ID_PATTERN, '单位编号只能含小写字母、数字、点、连字符和下划线');

/** A region as clients read it: the province, a city or a county, with its path. */
export const RegionSchema = z.object({
  id: z.string().max(IDENTITY_LIMITS.regionId).regex(REGION_ID_PATTERN),
  name: z.string().max(IDENTITY_LIMITS.name),
  level: RegionLevelSchema,
  /** 省 / 市 / 县(市、区). */
  levelLabel: z.string(),
  parentId: z.string().nullable(),
  /** Materialized path from the province down, e.g. `/sc/cd/`. */
  path: z.string().max(IDENTITY_LIMITS.regionPath),
});
export type Region = z.infer<typeof RegionSchema>;

/** A unit as clients read it: what it is, at which level, and (a special group) its area. */
export const UnitSchema = z.object({
  id: UnitIdSchema,
  name: z.string().max(IDENTITY_LIMITS.name),
  kind: UnitKindSchema,
  /** 改革办, 专项小组, … */
  kindLabel: z.string(),
  region: RegionSchema,
  /** A special group's area (经济体制改革…); null for other units. */
  area: z.string().max(IDENTITY_LIMITS.name).nullable(),
});
export type Unit = z.infer<typeof UnitSchema>;

/** The Chinese labels of a region's level and a unit's kind. */
export const regionLevelLabel = (level: (typeof REGION_LEVELS)[number]): string => REGION_LEVEL_LABELS[level];
export const unitKindLabel = (kind: (typeof UNIT_KINDS)[number]): string => UNIT_KIND_LABELS[kind];
