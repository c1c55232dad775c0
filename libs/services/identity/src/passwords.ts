import { IDENTITY_LIMITS } from '@reform/platform';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { IdentityInputError } from './errors';

/** Shortest password an account may be given. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane), through @node-rs/argon2 (napi-rs,
 * prebuilt per platform as an npm optional dependency; the `argon2` package's own prebuilt binary
 * crashed on these machines). The hash is a PHC string with its own salt and parameters.
 */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** An argon2id hash of the password. */
export function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new IdentityInputError(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符`);
  if (password.length > IDENTITY_LIMITS.password) throw new IdentityInputError(`密码最长 ${IDENTITY_LIMITS.password} 个字符`);
  return hash(password, OPTIONS);
}

/** Whether the password matches the hash; a malformed hash is a mismatch, never an exception. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, made once: checked against for an unknown user so the answer takes as long as for a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= hash(randomBytes(24).toString('base64url'), OPTIONS);
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
