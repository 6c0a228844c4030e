import type { createUserBody } from '@roster/protocol';
import type { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { ImportedHasher } from '../../domain/passwords/digests.js';
import type { NewUserInput } from '../../domain/users/users.js';

type CreateBody = z.output<typeof createUserBody>;

/**
 * The fields of Clerk's `POST /v1/users` a migration sends (`external_id`, `username`, `locale`,
 * `created_at`, `password_digest` with `password_hasher`) as the domain's create input. A digest
 * needs its hasher and excludes a plain `password`, as in Clerk.
 */
export function importedFields(body: CreateBody): Pick<
  NewUserInput,
  'externalId' | 'username' | 'locale' | 'createdAt'
> & {
  passwordDigest?: { hasher: ImportedHasher; digest: string };
} {
  if (body.password_digest && !body.password_hasher) {
    throw new AppError('form_param_missing', { meta: { param_name: 'password_hasher' } });
  }
  if (body.password_digest && body.password) {
    throw new AppError('form_param_value_invalid', {
      meta: { param_name: 'password_digest', reason: 'give password or password_digest, not both' },
    });
  }
  return {
    externalId: body.external_id ?? null,
    username: body.username ?? null,
    locale: body.locale ?? null,
    createdAt: body.created_at ? Date.parse(body.created_at) : null,
    ...(body.password_digest &&
      body.password_hasher && { passwordDigest: { hasher: body.password_hasher, digest: body.password_digest } }),
  };
}
