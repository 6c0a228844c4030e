import type { Kysely } from 'kysely';
import type { SigningKeyRow, SigningKeyStore } from '../signing-keys.js';
import type { Database } from './schema.js';

/**
 * `SigningKeyStore` over Kysely (SQLite and PostgreSQL alike). `insertSigningKeyIfAbsent` relies on
 * the `(secret_ref, alg)` unique constraint: the first insert wins, later ones do nothing.
 */
export function kyselySigningKeyStore(db: Kysely<Database>): SigningKeyStore {
  return {
    async findSigningKey(secretRef, alg) {
      const row = await db
        .selectFrom('session_signing_keys')
        .selectAll()
        .where('secret_ref', '=', secretRef)
        .where('alg', '=', alg)
        .executeTakeFirst();
      return row
        ? {
            kid: row.kid,
            secretRef: row.secret_ref,
            alg: row.alg,
            publicJwk: row.public_jwk,
            sealedPrivateKey: row.private_key,
            createdAt: Number(row.created_at),
          }
        : null;
    },

    async insertSigningKeyIfAbsent(key: SigningKeyRow) {
      await db
        .insertInto('session_signing_keys')
        .values({
          kid: key.kid,
          secret_ref: key.secretRef,
          alg: key.alg,
          public_jwk: key.publicJwk,
          private_key: key.sealedPrivateKey,
          created_at: key.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  };
}
