import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { secureRandom } from '../domain/crypto.js';
import type { SecretBox } from '../domain/deps.js';

/**
 * Authenticated encryption for the secrets the outbox carries (invitation links, sign-up codes),
 * so a database dump or backup does not hand out working links. AES-256-GCM with a key derived
 * from the instance secret by HKDF-SHA256; a fresh random 12-byte IV per value.
 *
 * Sealed format: `v1.<base64url iv>.<base64url ciphertext || 16-byte tag>`.
 */

const VERSION = 'v1';
const OUTBOX_INFO = 'roster-outbox-v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown by `open` when a sealed value is malformed, was altered, or was sealed under another key. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Creates a secret box keyed by `secretKey` (the instance secret from config). `previousKeys`
 * gives the keys it replaced that are still valid (asked at each open, so one expiring mid-run
 * stops counting): `open` tries the current key, then those; `seal` uses the current key only.
 * `info` separates the uses of one secret key (HKDF's info; default: the outbox's): a box for
 * another use cannot open the outbox's values, nor they its.
 *
 * @example
 * const box = createSecretBox(config.secretKey);
 * const sealed = box.seal('https://app.example.com/accept-invitation?ticket=...');
 * box.open(sealed); // the link again
 */
export function createSecretBox(
  secretKey: string,
  options: { previousKeys?: () => readonly string[]; info?: string } = {},
): SecretBox {
  const info = options.info ?? OUTBOX_INFO;
  if (!secretKey) throw new Error('createSecretBox: the secret key must not be empty');
  const derived = new Map<string, Buffer>();
  const keyFor = (secret: string) => {
    let key = derived.get(secret);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
      derived.set(secret, key);
    }
    return key;
  };
  const key = keyFor(secretKey);
  // The version tag is authenticated too, so a value cannot be relabelled to another format.
  const aad = Buffer.from(VERSION);

  const openWith = (secret: string, iv: Buffer, body: Buffer): string | null => {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return null;
    }
  };

  return {
    seal(plain: string): string {
      const iv = secureRandom(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },

    open(sealed: string): string {
      const parts = sealed.split('.');
      if (parts.length !== 3 || parts[0] !== VERSION) {
        throw new SecretBoxError(`sealed value is not in the ${VERSION} format`);
      }
      const iv = Buffer.from(parts[1] ?? '', 'base64url');
      const body = Buffer.from(parts[2] ?? '', 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
        throw new SecretBoxError('sealed value is truncated or malformed');
      }
      for (const secret of [secretKey, ...(options.previousKeys?.() ?? [])]) {
        const plain = openWith(secret, iv, body);
        if (plain !== null) return plain;
      }
      throw new SecretBoxError(
        'sealed value failed authentication: it was altered, or sealed under a different secret key',
      );
    },
  };
}
