import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import {
  generateSecretKey,
  isUnexpired,
  type PreviousSecretKey,
  readPreviousKeyFile,
  rotateSecretKeyFile,
  secretKeyFiles,
  secretKeyId,
  secretKeyPrefix,
} from '../secret-keys.js';

/**
 * `roster secret-key rotate [--grace 24h] [--data-dir <dir>]`, `roster secret-key show` and
 * `roster secret-key new`.
 *
 * Rotation is for the development key file (`<data dir>/secret-key`). With ROSTER_SECRET_KEY set,
 * the key lives in the deployment's configuration, which this command cannot change: `rotate`
 * refuses and says which two variables to set (see docs/deploying.md, "Rotating the secret key");
 * `new` prints a key to set. A key is printed only as a command's output, never in an error.
 */

/** Thrown for a failure the operator must fix (exit 1), with the message to print. */
export class SecretKeyCommandError extends Error {}

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_GRACE_MS = 365 * UNITS.d;

/** `90s`, `30m`, `24h`, `7d` in milliseconds, or null when it is not one (or out of range). */
export function parseGrace(value: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  return ms > 0 && ms <= MAX_GRACE_MS ? ms : null;
}

function describeExpiry(k: PreviousSecretKey, now: number): string {
  if (k.expiresAt === null) return 'accepted until removed from ROSTER_PREVIOUS_SECRET_KEYS';
  if (!isUnexpired(k, now)) return `expired ${new Date(k.expiresAt).toISOString()} (no longer accepted)`;
  const minutes = Math.ceil((k.expiresAt - now) / 60_000);
  const left = minutes >= 120 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
  return `accepted until ${new Date(k.expiresAt).toISOString()} (${left} left)`;
}

function environment(dataDir: string | undefined) {
  return loadConfig({ ...process.env, ...(dataDir && { ROSTER_DATA_DIR: dataDir }) });
}

export function rotateSecretKey(options: {
  graceMs: number;
  dataDir?: string;
  now?: number;
  print: (line: string) => void;
}): void {
  const now = options.now ?? Date.now();
  const config = environment(options.dataDir);
  if (config.secretKey) {
    // No key in this message: errors end up in logs and CI output, and a secret must not.
    throw new SecretKeyCommandError(
      [
        'ROSTER_SECRET_KEY is set, so the key lives in your deployment configuration, which this command does not change.',
        'To rotate it, on every instance:',
        '  1. set ROSTER_PREVIOUS_SECRET_KEYS to the current key (comma-separated, if there are others still in use)',
        '  2. set ROSTER_SECRET_KEY to a new key, and restart; callers may use either key meanwhile',
        '  3. once every caller uses the new key, remove the old one from ROSTER_PREVIOUS_SECRET_KEYS and restart',
        '`roster secret-key new` prints a new key (on stdout, nothing else).',
      ].join('\n'),
    );
  }
  let rotated: ReturnType<typeof rotateSecretKeyFile>;
  try {
    rotated = rotateSecretKeyFile(config.dataDir, { graceMs: options.graceMs, now });
  } catch (error) {
    throw new SecretKeyCommandError((error as Error).message);
  }
  const files = secretKeyFiles(config.dataDir);
  options.print(`New secret key (in ${files.current}): ${rotated.secretKey}`);
  options.print(
    `The old key ${secretKeyId(rotated.replaced.key)} is accepted until ${new Date(rotated.replaced.expiresAt ?? now).toISOString()} (in ${files.previous}).`,
  );
  options.print('Restart Roster to use the new key, and give it to every Backend API caller before then.');
}

/**
 * `roster secret-key new`: prints a fresh key, with the prefix of the configured one (`sk_test_`
 * without one), on stdout and nothing else, so it can go straight into a secret store.
 */
export function newSecretKey(options: { print: (line: string) => void }): void {
  const configured = process.env.ROSTER_SECRET_KEY;
  options.print(generateSecretKey(configured ? secretKeyPrefix(configured) : 'sk_test_'));
}

export function showSecretKey(options: { dataDir?: string; now?: number; print: (line: string) => void }): void {
  const now = options.now ?? Date.now();
  const config = environment(options.dataDir);
  const files = secretKeyFiles(config.dataDir);
  let current: string | null = config.secretKey;
  let previous = config.previousSecretKeys;
  if (current) {
    options.print(`Current key: ${secretKeyId(current)} (ROSTER_SECRET_KEY)`);
  } else if (existsSync(files.current)) {
    current = readFileSync(files.current, 'utf8').trim();
    options.print(`Current key: ${secretKeyId(current)} (${files.current})`);
    try {
      previous = [...previous, ...readPreviousKeyFile(files.previous)];
    } catch (error) {
      throw new SecretKeyCommandError((error as Error).message);
    }
  } else {
    options.print(`No key yet: none is configured and ${files.current} does not exist (start Roster to generate one).`);
  }
  if (previous.length === 0) {
    options.print('Previous keys: none');
    return;
  }
  options.print('Previous keys:');
  for (const k of previous) options.print(`  ${secretKeyId(k.key)}  ${describeExpiry(k, now)}`);
}
