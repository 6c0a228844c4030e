import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Ids, tokens and hashes. Plain functions over node:crypto. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// CSPRNG bytes fetched 4 KiB at a time (as node:crypto does for randomUUID): one call into the
// generator per ~100 ids or tokens instead of one each. Bytes handed out are wiped from the pool.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `n` (at most 4,096) bytes from the CSPRNG, in a buffer of their own. */
export function secureRandom(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}

/**
 * A prefixed, roughly time-ordered id such as `orginv_2Qx...`: 6 bytes of milliseconds then
 * 14 random bytes, in base62 (27 characters, like Clerk's ids).
 */
export function newId(
  prefix:
    | 'user'
    | 'idn'
    | 'org'
    | 'orgmem'
    | 'orginv'
    | 'inv'
    | 'sess'
    | 'msg'
    | 'evt'
    | 'whe'
    | 'img'
    | 'role'
    | 'perm'
    | 'orgdmn'
    | 'orgmbrreq'
    | 'orgsug'
    | 'rs',
): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUIntBE(Date.now(), 0, 6);
  secureRandom(14).copy(bytes, 6);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (out.length < 27) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return `${prefix}_${out}`;
}

/** A secret token with 256 bits from the CSPRNG, base64url. */
export function newToken(): string {
  return secureRandom(32).toString('base64url');
}

/** A six-digit one-time code. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** SHA-256 hex: what is stored in place of a token (tokens carry 256 bits, so no slow hash is needed). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * True when two secrets (or hashes of secrets: codes, tickets, keys) are equal, compared in constant
 * time. Both are hashed first, so not even their lengths are compared in the open. The one way
 * Roster compares secrets: never `===`.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Lower-cased, trimmed email used for uniqueness and matching. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
