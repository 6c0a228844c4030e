import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import type { PasswordHasher } from './domain/deps.js';

/** A bcrypt digest (`$2a$`, `$2b$`, `$2y$`): imported from another system (Clerk's `password_hasher: bcrypt`). */
const isBcrypt = (stored: string) => /^\$2[aby]\$/.test(stored);

/**
 * argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum). It
 * also checks passwords against imported digests, bcrypt and argon2 (i or id, any parameters),
 * and asks for anything but its own argon2id to be re-hashed once a sign-in has the password.
 */
export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (stored, password) => {
    try {
      return isBcrypt(stored) ? await bcrypt.compare(password, stored) : await verify(stored, password);
    } catch {
      return false;
    }
  },
  needsRehash: (stored) => !stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'),
};
