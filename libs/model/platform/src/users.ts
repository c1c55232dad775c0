import { z } from 'zod';
import { IDENTITY_LIMITS, UnitSchema } from './units';

/** Roles a user holds in their unit (not engine roles: those come from the unit's relation to a plan). */
export const UNIT_ROLES = ['staff', 'head', 'admin'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];
export const UNIT_ROLE_LABELS: Record<UnitRole, string> = { staff: '经办人', head: '负责人', admin: '管理员' };

export const UnitRoleSchema = z.enum(UNIT_ROLES, { error: `单位内角色应为 ${UNIT_ROLES.join('、')} 之一` });

export const UsernameSchema = z
  .string({ error: '用户名应为文本' })
  .trim()
  .min(1, '用户名不能为空')
  .max(IDENTITY_LIMITS.username, `用户名最长 ${IDENTITY_LIMITS.username} 个字符`);

/** The signed-in user as clients read it: who, in which unit, holding which roles there, with labels. */
export const UserProfileSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  unit: UnitSchema,
  roles: z.array(UnitRoleSchema),
  /** The roles' Chinese labels, in the same order. */
  roleLabels: z.array(z.string()),
});
export type UserProfile = z.infer<typeof UserProfileSchema>;
