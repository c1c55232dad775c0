import { IDENTITY_LIMITS } from '@reform/platform';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { IdentityInputError } from './errors';

/** Shortest password an account may be given. */
export const MIN_PASSWORD_LENGTH = 10;

/** An argon2id hash (PHC string with its own salt and parameters; the library's defaults: 64 MiB, 3 passes). */
export function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new IdentityInputError(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符`);
  if (password.length > IDENTITY_LIMITS.password) throw new IdentityInputError(`密码最长 ${IDENTITY_LIMITS.password} 个字符`);
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Whether the password matches the hash; a malformed hash is a mismatch, never an exception. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, made once: checked against for an unknown user so the answer takes as long as for a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= argon2.hash(randomBytes(24).toString('base64url'), { type: argon2.argon2id });
  return dummy;
}

/** A random password for a generated account (demo logins): 16 characters without look-alikes. */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling: 256 is not a multiple of the alphabet's size.
  const limit = 256 - (256 % alphabet.length);
  for (const b of bytes) {
    if (b < limit) out += alphabet[b % alphabet.length];
    if (out.length === length) return out;
  }
  return out + generatePassword(length - out.length);
}
