import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The secret key and the keys it replaced. Rotating keeps the old key valid for a grace period:
 * the Backend API still accepts it, the outbox still opens what was sealed with it, and its
 * session-token signing key stays in the published key set. New work uses the current key only.
 *
 * In development the keys live in the data folder: `secret-key` (the current one) and
 * `secret-key.previous` (JSON lines `{"key":"sk_…","expires_at":"<ISO time>"}`, written by
 * `roster secret-key rotate`). Elsewhere `ROSTER_PREVIOUS_SECRET_KEYS` lists them, valid until removed.
 */

export const SECRET_KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{24,}$/;

export interface PreviousSecretKey {
  key: string;
  /** Epoch milliseconds after which the key is refused; null: until it is removed from the configuration. */
  expiresAt: number | null;
}

/** The file names in a data folder. */
export function secretKeyFiles(dataDir: string): { current: string; previous: string } {
  return { current: join(dataDir, 'secret-key'), previous: join(dataDir, 'secret-key.previous') };
}

/**
 * A name for a key that gives nothing of it away: its prefix and a fingerprint, `sk_test_…3fQ9xk2a`.
 * Logs and `roster secret-key show` name keys this way.
 */
export function secretKeyId(key: string): string {
  const prefix = /^sk_(live|test)_/.exec(key)?.[0] ?? 'sk_';
  return `${prefix}…${createHash('sha256').update(key).digest('base64url').slice(0, 8)}`;
}

/** A fresh key with the given prefix (`sk_test_` or `sk_live_`). */
export function generateSecretKey(prefix: 'sk_test_' | 'sk_live_' = 'sk_test_'): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** The prefix of a key, to give its successor the same one. */
export function secretKeyPrefix(key: string): 'sk_test_' | 'sk_live_' {
  return key.startsWith('sk_live_') ? 'sk_live_' : 'sk_test_';
}

/** True while a previous key may still be used. */
export function isUnexpired(previous: PreviousSecretKey, now: number): boolean {
  return previous.expiresAt === null || now < previous.expiresAt;
}

/** Reads `secret-key.previous`; a missing file holds none. Throws naming the line of a bad entry. */
export function readPreviousKeyFile(file: string): PreviousSecretKey[] {
  if (!existsSync(file)) return [];
  const keys: PreviousSecretKey[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = null;
      }
      const { key, expires_at } = (entry ?? {}) as { key?: unknown; expires_at?: unknown };
      const expiresAt = typeof expires_at === 'string' ? Date.parse(expires_at) : Number.NaN;
      if (typeof key !== 'string' || !SECRET_KEY_PATTERN.test(key) || Number.isNaN(expiresAt)) {
        throw new Error(`${file} line ${i + 1} is not {"key":"sk_…","expires_at":"<ISO time>"}`);
      }
      keys.push({ key, expiresAt });
    });
  return keys;
}

/** Writes a file so that readers see the old content or the new, never a part: a temporary file (0600), fsync, rename. */
export function writeFileAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, file);
}

/**
 * `roster secret-key rotate` on the data folder's key file: a new key with the old one's prefix
 * becomes current, and the old key is added to `secret-key.previous`, valid for `graceMs` more.
 * Entries already expired are dropped from that file. The old key is recorded before the new one
 * replaces it, so a crash in between leaves it usable either way.
 */
export function rotateSecretKeyFile(
  dataDir: string,
  options: { graceMs: number; now: number },
): { secretKey: string; replaced: PreviousSecretKey; previous: PreviousSecretKey[] } {
  const files = secretKeyFiles(dataDir);
  if (!existsSync(files.current)) {
    throw new Error(`there is no key to rotate at ${files.current} (start Roster once to generate one)`);
  }
  const old = readFileSync(files.current, 'utf8').trim();
  if (!SECRET_KEY_PATTERN.test(old)) throw new Error(`${files.current} does not hold a valid key`);
  const kept = readPreviousKeyFile(files.previous).filter((k) => isUnexpired(k, options.now) && k.key !== old);
  const replaced = { key: old, expiresAt: options.now + options.graceMs };
  const previous = [...kept, replaced];
  writeFileAtomically(
    files.previous,
    previous
      .map((k) => `${JSON.stringify({ key: k.key, expires_at: new Date(k.expiresAt ?? 0).toISOString() })}\n`)
      .join(''),
  );
  const secretKey = generateSecretKey(secretKeyPrefix(old));
  writeFileAtomically(files.current, `${secretKey}\n`);
  return { secretKey, replaced, previous };
}
