import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';

/**
 * The Ed25519 key pair that signs short-lived session tokens. It is derived from the secret key
 * (HKDF), so every instance that shares the secret key signs with the same key and no key has to
 * be stored or distributed; rotating the secret key rotates it. Tokens are signed with the current
 * key only; the published key set (`jwks()`) also holds the public keys of the previous secret keys
 * still in their grace period, so a token signed just before a rotation (or by an instance not yet
 * restarted with the new key) still verifies.
 */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  jwks(): Promise<{ keys: JWK[] }>;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function deriveKeyPair(secretKey: string): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
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
  return { privateKey, publicKey, kid };
}

/**
 * The signing keys of `secretKey`; `previousKeys` gives the secret keys it replaced that are still
 * valid (asked at each `jwks()`, so one that expires drops out of the set).
 */
export function deriveSigningKeys(
  secretKey: string,
  options: { previousKeys?: () => readonly string[] } = {},
): SigningKeys {
  const current = deriveKeyPair(secretKey);
  const published = new Map<string, Promise<JWK>>();
  const jwkOf = (secret: string): Promise<JWK> => {
    let jwk = published.get(secret);
    if (!jwk) {
      const pair = secret === secretKey ? current : deriveKeyPair(secret);
      jwk = exportJWK(pair.publicKey).then((k) => ({ ...k, kid: pair.kid, alg: 'EdDSA', use: 'sig' }));
      published.set(secret, jwk);
    }
    return jwk;
  };
  return {
    ...current,
    async jwks() {
      const secrets = [secretKey, ...(options.previousKeys?.() ?? []).filter((k) => k !== secretKey)];
      return { keys: await Promise.all(secrets.map(jwkOf)) };
    },
  };
}
