import { AppError } from '../errors.js';

/** The `password_hasher` values Roster can check passwords against (Clerk's names). */
export const IMPORTED_HASHERS = ['bcrypt', 'argon2i', 'argon2id'] as const;
export type ImportedHasher = (typeof IMPORTED_HASHERS)[number];

const FORMATS: Record<ImportedHasher, RegExp> = {
  // $2a$10$ + 22 characters of salt and 31 of hash, in bcrypt's base64.
  bcrypt: /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/,
  argon2i: /^\$argon2i\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
  argon2id: /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
};

/**
 * A password digest from another system (Clerk's `password_digest` with `password_hasher`), to
 * store as the user's password hash: checked for the hasher's format (a digest that could never
 * match is refused with `form_param_format_invalid` rather than locking the user out in silence).
 * The first sign-in with the password replaces it with Roster's own hash.
 */
export function importedPasswordHash(hasher: ImportedHasher, digest: string): string {
  if (!FORMATS[hasher].test(digest)) {
    throw new AppError('form_param_format_invalid', {
      meta: { param_name: 'password_digest', reason: `not a ${hasher} digest` },
    });
  }
  return digest;
}
