import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';

/**
 * The Ed25519 key pair that signs short-lived session tokens. It is derived from the secret key
 * (HKDF), so every instance that shares the secret key signs with the same key and no key has to
 * be stored or distributed; rotating the secret key rotates it.
 */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  jwks(): Promise<{ keys: JWK[] }>;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveSigningKeys(secretKey: string): SigningKeys {
  const seed = Buffer.from(hkdfSync('sha256', secretKey, 'roster', 'roster-session-token-ed25519-v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const kid = `ins_${createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url')
    .slice(0, 16)}`;
  let cached: { keys: JWK[] } | null = null;
  return {
    privateKey,
    publicKey,
    kid,
    async jwks() {
      cached ??= { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] };
      return cached;
    },
  };
}
