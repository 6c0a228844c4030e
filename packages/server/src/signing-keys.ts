import { createHash, createPrivateKey, createPublicKey, generateKeyPair, hkdfSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import { createSecretBox } from './email/secret-box.js';

/**
 * The keys that sign short-lived session tokens (decision 025).
 *
 * - RS256 (the default, what Clerk's SDKs verify): an RSA-2048 key pair per secret key, kept in
 *   the database so that every instance behind a load balancer signs with the same key. The first
 *   instance to start with a secret key creates it (insert-if-absent, then read: two instances
 *   starting at once both end up with the row that won); the private key is sealed with a secret
 *   box keyed from that secret key, so a database dump alone cannot sign.
 * - EdDSA (`ROSTER_SESSION_TOKEN_ALG=EdDSA`): an Ed25519 key pair derived from the secret key
 *   (HKDF), nothing stored; what Roster signed with before.
 *
 * Rotating the secret key rotates both. Tokens are signed with the current secret key's key only;
 * the published key set (`jwks()`) holds, for the current secret key and each previous one still
 * in its grace period, its RSA public key (when one was created) and its Ed25519 public key, so a
 * token signed just before a rotation, by an instance not yet restarted, or by one that signs with
 * the other algorithm, still verifies.
 */
export interface SigningKeys {
  alg: SigningAlgorithm;
  /** The key to sign with: read (or created) once, then the same imported key object for every token. */
  signer(): Promise<{ privateKey: KeyObject; kid: string }>;
  jwks(): Promise<{ keys: JWK[] }>;
}

export type SigningAlgorithm = 'RS256' | 'EdDSA';

/** A stored key pair (table `session_signing_keys`). */
export interface SigningKeyRow {
  kid: string;
  /** `secretRefOf(secretKey)`. */
  secretRef: string;
  alg: string;
  /** The public key as a JWK, JSON. */
  publicJwk: string;
  /** The PKCS#8 PEM private key, sealed (`v1.…`). */
  sealedPrivateKey: string;
  createdAt: number;
}

/**
 * Where key pairs are kept. Race rule: `insertSigningKeyIfAbsent` keeps the first row for a
 * `(secretRef, alg)` and silently drops any later one, so callers insert, then read what won.
 */
export interface SigningKeyStore {
  findSigningKey(secretRef: string, alg: string): Promise<SigningKeyRow | null>;
  insertSigningKeyIfAbsent(row: SigningKeyRow): Promise<void>;
}

const BOX_INFO = 'roster-session-signing-key-v1';
/** How long a previous secret key without a stored RSA key is remembered as having none. */
const MISSING_RECHECK_MS = 30_000;

/** Names a secret key in the database without giving it away. */
export function secretRefOf(secretKey: string): string {
  return Buffer.from(hkdfSync('sha256', secretKey, 'roster', 'roster-session-signing-key-ref-v1', 16)).toString('hex');
}

function kidOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return `ins_${createHash('sha256').update(spki).digest('base64url').slice(0, 16)}`;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function deriveEd25519(secretKey: string): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
  const seed = Buffer.from(hkdfSync('sha256', secretKey, 'roster', 'roster-session-token-ed25519-v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: kidOf(publicKey) };
}

function publishedJwk(publicKey: KeyObject, kid: string, alg: SigningAlgorithm): JWK {
  return { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg, use: 'sig' };
}

const generateRsa = promisify(generateKeyPair);

/** A fresh RSA-2048 pair (e = 65537, what Clerk's PEM `jwtKey` parsing assumes) as a row to store. */
async function newRsaRow(secretKey: string, now: number): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const kid = kidOf(publicKey);
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    kid,
    secretRef: secretRefOf(secretKey),
    alg: 'RS256',
    publicJwk: JSON.stringify(publishedJwk(publicKey, kid, 'RS256')),
    sealedPrivateKey: createSecretBox(secretKey, { info: BOX_INFO }).seal(pem),
    createdAt: now,
  };
}

/** The secret key's stored RSA pair, created if it has none yet (race-safe: insert-if-absent, then read). */
async function ensureRsaRow(store: SigningKeyStore, secretKey: string, now: number): Promise<SigningKeyRow> {
  const ref = secretRefOf(secretKey);
  const existing = await store.findSigningKey(ref, 'RS256');
  if (existing) return existing;
  await store.insertSigningKeyIfAbsent(await newRsaRow(secretKey, now));
  const stored = await store.findSigningKey(ref, 'RS256');
  if (!stored) throw new Error('session signing key: inserted but not found (is the database read-only?)');
  return stored;
}

interface OpenedKey {
  privateKey: KeyObject;
  kid: string;
  jwk: JWK;
}

/**
 * A stored pair, opened with its secret key. The published key and its kid are computed from the
 * private key, never taken from the row's public columns: someone who can write to the database
 * but does not hold the secret key cannot slip a key of their own into the published set.
 */
function openRow(secretKey: string, row: SigningKeyRow): OpenedKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(createSecretBox(secretKey, { info: BOX_INFO }).open(row.sealedPrivateKey));
  } catch (error) {
    throw new Error(`session signing key ${row.kid} does not open with its secret key`, { cause: error });
  }
  const publicKey = createPublicKey(privateKey);
  const kid = kidOf(publicKey);
  if (kid !== row.kid) throw new Error(`session signing key ${row.kid}: the stored kid does not match its key`);
  return { privateKey, kid, jwk: publishedJwk(publicKey, kid, 'RS256') };
}

/** A previous secret key's stored key, or none when it does not open (one bad row must not empty the set). */
function openedOrNone(secretKey: string, row: SigningKeyRow): JWK[] {
  try {
    return [openRow(secretKey, row).jwk];
  } catch {
    return [];
  }
}

/**
 * The signing keys of `secretKey`; `previousKeys` gives the secret keys it replaced that are still
 * valid (asked at each `jwks()`, so one that expires drops out of the set). Nothing is read or
 * created until a token is signed or the key set asked for: then the RSA pair is read (created on
 * the first use of a secret key) and its key object kept for every later token.
 */
export function createSigningKeys(options: {
  store: SigningKeyStore;
  secretKey: string;
  previousKeys?: () => readonly string[];
  alg?: SigningAlgorithm;
  now?: () => number;
}): SigningKeys {
  const { store, secretKey } = options;
  const now = options.now ?? Date.now;
  const alg = options.alg ?? 'RS256';
  const ed = deriveEd25519(secretKey);

  let rsa: Promise<OpenedKey> | null = null;
  const currentRsa = () => {
    rsa ??= ensureRsaRow(store, secretKey, now()).then((row) => openRow(secretKey, row));
    // A failure (database down) is not remembered: the next token tries again.
    rsa.catch(() => {
      rsa = null;
    });
    return rsa;
  };

  // A previous secret key's public keys: its RSA key is read from the database (a secret key used
  // only before RSA keys existed has none), its Ed25519 key derived.
  const published = new Map<string, { keys: JWK[]; recheckAt: number }>();
  const keysOf = async (secret: string): Promise<JWK[]> => {
    if (secret === secretKey) return [(await currentRsa()).jwk, publishedJwk(ed.publicKey, ed.kid, 'EdDSA')];
    const known = published.get(secret);
    if (known && known.recheckAt > now()) return known.keys;
    const derived = deriveEd25519(secret);
    const stored = await store.findSigningKey(secretRefOf(secret), 'RS256');
    const keys = [
      ...(stored ? openedOrNone(secret, stored) : []),
      publishedJwk(derived.publicKey, derived.kid, 'EdDSA'),
    ];
    published.set(secret, { keys, recheckAt: stored ? Number.POSITIVE_INFINITY : now() + MISSING_RECHECK_MS });
    return keys;
  };

  const ready = alg === 'EdDSA' ? Promise.resolve({ privateKey: ed.privateKey, kid: ed.kid }) : null;
  return {
    alg,
    signer: () => ready ?? currentRsa(),
    async jwks() {
      const secrets = [secretKey, ...(options.previousKeys?.() ?? []).filter((k) => k !== secretKey)];
      return { keys: (await Promise.all(secrets.map(keysOf))).flat() };
    },
  };
}
