import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { supported } from './i18n/dates.js';
import {
  generateSecretKey,
  isUnexpired,
  type PreviousSecretKey,
  readPreviousKeyFile,
  SECRET_KEY_PATTERN,
  secretKeyFiles,
} from './secret-keys.js';

/**
 * All configuration, read from the environment once at start and validated with zod.
 * A bad value stops start-up with a message naming the variable and what is wrong.
 */

const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A whole number written in plain digits (no `1e3`, `0x10` or `12abc`) between `min` and `max`. */
const wholeNumber = (options: { min: number; max: number; fallback: number }) => {
  const message = `must be a whole number from ${options.min} to ${options.max}`;
  return z
    .string()
    .regex(/^\s*\d+\s*$/, message)
    .transform(Number)
    .pipe(z.number().min(options.min, message).max(options.max, message))
    .default(options.fallback);
};
const positiveInt = (fallback: number, max = 1_000_000_000) => wholeNumber({ min: 1, max, fallback });

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

function splitOrigins(value: string): string[] {
  return value
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: wholeNumber({ min: 0, max: 65535, fallback: 3000 }),
    // No default here: it depends on NODE_ENV (see `defaultHost`).
    HOST: z
      .string()
      .trim()
      .refine(
        (v) =>
          isIP(v) !== 0 ||
          /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v),
        'must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name (localhost)',
      )
      .optional(),
    ROSTER_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .min(1)
      .refine(
        (v) => /^(postgres(ql)?:\/\/|file:|:memory:$)/.test(v) || !v.includes('://'),
        'must be postgres://..., file:path, or a file path',
      )
      .optional(),
    DATABASE_POOL_SIZE: positiveInt(10, 500),
    ROSTER_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full'], { error: 'must be normal or full' }).default('full'),
    ROSTER_SECRET_KEY: z
      .string()
      .regex(SECRET_KEY_PATTERN, 'must look like sk_live_<at least 24 characters> or sk_test_<...>')
      .optional(),
    ROSTER_PREVIOUS_SECRET_KEYS: z
      .string()
      .refine(
        (v) => splitList(v).every((k) => SECRET_KEY_PATTERN.test(k)),
        'must be a comma-separated list of keys like sk_live_<at least 24 characters> or sk_test_<...>',
      )
      .default(''),
    ROSTER_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    ROSTER_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .refine(
        (v) => splitOrigins(v).every((o) => URL.canParse(o) && /^https?:/.test(o) && new URL(o).origin === o),
        'must be a comma-separated list of origins like https://app.example.com (scheme and host, lowercase, no path)',
      ),
    ROSTER_AFTER_ACCEPT_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    SMTP_URL: z
      .string()
      .refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://')
      .optional(),
    ROSTER_MAIL_FROM: z
      .string()
      .min(3)
      .refine((v) => !/[\r\n]/.test(v), 'must be one line, like Name <address@example.com>')
      .default('Roster <no-reply@localhost>'),
    ROSTER_LOCALE: z
      .string()
      .trim()
      .refine((v) => supported(v) !== null, 'must be a BCP 47 language tag such as en, fr or fr-FR')
      .default('en'),
    /** A folder of Handlebars templates replacing the built-in mails (decision 045). */
    ROSTER_EMAIL_TEMPLATES_DIR: z.string().trim().min(1).optional(),
    ROSTER_BRAND_NAME: z
      .string()
      .trim()
      .max(60, 'must be at most 60 characters')
      .refine((v) => !/[\p{Cc}\u2028\u2029]/u.test(v), 'must be one line of text')
      .optional(),
    ROSTER_BRAND_COLOR: z
      .string()
      .trim()
      .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a hex colour: #0969da or #09d')
      .optional(),
    ROSTER_BRAND_LOGO: z.string().trim().min(1).optional(),
    ROSTER_INVITATION_TTL_DAYS: positiveInt(30, 365),
    ROSTER_SESSION_TTL_DAYS: positiveInt(30, 365),
    ROSTER_LOCKOUT_MINUTES: positiveInt(60, 525_600),
    ROSTER_AUDIT_RETENTION_DAYS: positiveInt(365, 3650),
    ROSTER_DEFAULT_MAX_MEMBERSHIPS: wholeNumber({ min: 0, max: 1_000_000_000, fallback: 0 }),
    ROSTER_INVITATIONS_PER_HOUR: positiveInt(250),
    ROSTER_MAILS_PER_ADDRESS_PER_HOUR: positiveInt(10),
    ROSTER_USER_INVITATIONS_PER_HOUR: positiveInt(100),
    ROSTER_MAX_ORGANIZATIONS_PER_USER: wholeNumber({ min: 0, max: 1_000_000_000, fallback: 100 }),
    ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE: positiveInt(10),
    ROSTER_RATE_LIMITS: boolish.default(true),
    ROSTER_RATE_LIMIT_STORE: z
      .string()
      .refine(
        (v) => v === 'memory' || v === 'database' || /^rediss?:\/\//.test(v),
        'must be memory, database, or a redis:// URL',
      )
      .optional(),
    ROSTER_TRUST_PROXY: boolish.default(false),
    ROSTER_SESSION_TOKEN_ALG: z.enum(['RS256', 'EdDSA'], { error: 'must be RS256 or EdDSA' }).default('RS256'),
    ROSTER_OUTBOX_LEASE_MS: wholeNumber({ min: 1000, max: 3_600_000, fallback: 15_000 }),
    ROSTER_OUTBOX_POLL_MS: wholeNumber({ min: 10, max: 600_000, fallback: 1000 }),
    ROSTER_EXPIRY_SWEEP_MS: wholeNumber({ min: 1000, max: 86_400_000, fallback: 60_000 }),
    ROSTER_PWNED_PASSWORDS_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, like https://api.pwnedpasswords.com' })
      .optional(),
    ROSTER_PWNED_PASSWORDS_TIMEOUT_MS: wholeNumber({ min: 50, max: 10_000, fallback: 1500 }),
    ROSTER_WEBHOOK_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, like https://app.example/webhooks' })
      .optional(),
    ROSTER_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'must be a whsec_ secret (whsec_ and at least 24 bytes in base64)')
      .optional(),
    ROSTER_WEBHOOK_ALLOW_PRIVATE: boolish.default(false),
    ROSTER_WEBHOOK_TIMEOUT_MS: wholeNumber({ min: 100, max: 60_000, fallback: 15_000 }),
    ROSTER_WEBHOOK_POLL_MS: wholeNumber({ min: 10, max: 600_000, fallback: 1000 }),
    ROSTER_WEBHOOK_LEASE_MS: wholeNumber({ min: 1000, max: 3_600_000, fallback: 30_000 }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production (mail is never dropped silently)',
      });
    }
    if (env.ROSTER_RATE_LIMIT_STORE === 'database' && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROSTER_RATE_LIMIT_STORE'],
        message: 'database needs a PostgreSQL DATABASE_URL',
      });
    }
    if (Boolean(env.ROSTER_WEBHOOK_URL) !== Boolean(env.ROSTER_WEBHOOK_SECRET)) {
      const missing = env.ROSTER_WEBHOOK_URL ? 'ROSTER_WEBHOOK_SECRET' : 'ROSTER_WEBHOOK_URL';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is required with the other (URL and secret go together)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.ROSTER_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['ROSTER_SECRET_KEY'], message: 'is required in production' });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** SQLite's `synchronous` in WAL mode: `full` (default) survives power loss, `normal` may lose the last commits. */
  sqliteSynchronous: 'normal' | 'full';
  /** Null until resolved: in development a key is generated and kept in the data folder. */
  secretKey: string | null;
  /**
   * Keys the secret key replaced, still accepted (Backend API, sealed outbox mail, published
   * signing keys) until they expire. From ROSTER_PREVIOUS_SECRET_KEYS (no expiry: valid until
   * removed); `resolveSecretKey` adds the data folder's `secret-key.previous` for a generated key.
   */
  previousSecretKeys: PreviousSecretKey[];
  publicUrl: string;
  allowedOrigins: string[];
  /** Where a user lands after joining from a link whose invitation has no redirect_url. */
  afterAcceptUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** The instance's language for mail and for hosted pages whose reader names none they speak (`ROSTER_LOCALE`, default `en`); decisions 039, 044. */
  locale: string;
  /** `ROSTER_EMAIL_TEMPLATES_DIR`: the operator's mail templates (decision 045), or null for the built-in ones. */
  emailTemplatesDir: string | null;
  /** The instance's name, colour and logo file for hosted pages and mail (decision 050); each null when not set. */
  brand: { name: string | null; color: string | null; logoPath: string | null };
  invitationTtlDays: number;
  sessionTtlDays: number;
  /** How long a Backend API lock (`POST /v1/users/{id}/lock`) keeps a user from signing in. */
  lockoutMinutes: number;
  /** How long the audit log (the events table) keeps an event. */
  auditRetentionDays: number;
  defaultMaxAllowedMemberships: number;
  invitationsPerHour: number;
  /** Invitation mails to one address per hour, across organizations (either API). */
  mailsPerAddressPerHour: number;
  /** Invitations one signed-in user creates per hour through the Frontend API. */
  userInvitationsPerHour: number;
  /** Organizations a user may create for themselves (Frontend API); 0: no cap. */
  maxOrganizationsPerUser: number;
  signInAttemptsPerMinute: number;
  rateLimits: boolean;
  /** Where rate-limit counters live: this process, the PostgreSQL database, or Redis (shared by instances). */
  rateLimitStore: 'memory' | 'database' | { redisUrl: string };
  /** Take the client IP from X-Forwarded-For (behind a load balancer that sets it). */
  trustProxy: boolean;
  /** What session tokens are signed with: RS256 (default; what Clerk's SDKs verify) or EdDSA (decision 025). */
  sessionTokenAlg: 'RS256' | 'EdDSA';
  /** How long a dispatcher's claim on an outbox message lasts before another instance may send it. */
  outboxLeaseMs: number;
  outboxPollMs: number;
  /** How often pending invitations past their expiry are marked `expired`. */
  expirySweepMs: number;
  /** A Pwned Passwords-compatible range API to check new passwords against (off when null). */
  pwnedPasswordsUrl: string | null;
  /** How long that check may take before the password is accepted without it. */
  pwnedPasswordsTimeoutMs: number;
  /** An endpoint configured at start (`ROSTER_WEBHOOK_URL` + `ROSTER_WEBHOOK_SECRET`), besides those of the API. */
  webhook: { url: string; secret: string } | null;
  /** Let webhook endpoints resolve to loopback and private addresses (tests, private networks). */
  webhookAllowPrivate: boolean;
  webhookTimeoutMs: number;
  webhookPollMs: number;
  /** How long a dispatcher's claim on a delivery lasts (renewed while sending) before another instance may send it. */
  webhookLeaseMs: number;
  logLevel: string;
}

/** Default: shared counters in the database on PostgreSQL (several instances), in memory on SQLite (one). */
function rateLimitStore(value: string | undefined, databaseUrl: string | undefined): Config['rateLimitStore'] {
  if (value === 'memory' || value === 'database') return value;
  if (value) return { redisUrl: value };
  return /^postgres(ql)?:\/\//.test(databaseUrl ?? '') ? 'database' : 'memory';
}

/**
 * Where the server listens when HOST is not set. In development (and tests) only this machine:
 * the dev mailbox shows every link and code to anyone who can reach the port. In production every
 * interface, as a container or a VM behind a proxy needs; set HOST=127.0.0.1 when the proxy is local.
 */
export function defaultHost(env: Config['env']): string {
  return env === 'production' ? '0.0.0.0' : '127.0.0.1';
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Thrown when the environment is invalid; its message lists each bad variable. */
export class ConfigError extends Error {}

/** Parses the environment. Pure: reads nothing but `env`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.ROSTER_DATA_DIR);
  const publicUrl = (e.ROSTER_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? defaultHost(e.NODE_ENV),
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${join(dataDir, 'roster.sqlite')}`,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    sqliteSynchronous: e.ROSTER_SQLITE_SYNCHRONOUS,
    secretKey: e.ROSTER_SECRET_KEY ?? null,
    previousSecretKeys: splitList(e.ROSTER_PREVIOUS_SECRET_KEYS).map((key) => ({ key, expiresAt: null })),
    publicUrl,
    allowedOrigins: splitOrigins(e.ROSTER_ALLOWED_ORIGINS),
    afterAcceptUrl: e.ROSTER_AFTER_ACCEPT_URL ?? `${publicUrl}/account`,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.ROSTER_MAIL_FROM,
    locale: e.ROSTER_LOCALE,
    emailTemplatesDir: e.ROSTER_EMAIL_TEMPLATES_DIR ? resolve(e.ROSTER_EMAIL_TEMPLATES_DIR) : null,
    brand: {
      name: e.ROSTER_BRAND_NAME || null,
      color: e.ROSTER_BRAND_COLOR ?? null,
      logoPath: e.ROSTER_BRAND_LOGO ? resolve(e.ROSTER_BRAND_LOGO) : null,
    },
    invitationTtlDays: e.ROSTER_INVITATION_TTL_DAYS,
    sessionTtlDays: e.ROSTER_SESSION_TTL_DAYS,
    lockoutMinutes: e.ROSTER_LOCKOUT_MINUTES,
    auditRetentionDays: e.ROSTER_AUDIT_RETENTION_DAYS,
    defaultMaxAllowedMemberships: e.ROSTER_DEFAULT_MAX_MEMBERSHIPS,
    invitationsPerHour: e.ROSTER_INVITATIONS_PER_HOUR,
    mailsPerAddressPerHour: e.ROSTER_MAILS_PER_ADDRESS_PER_HOUR,
    userInvitationsPerHour: e.ROSTER_USER_INVITATIONS_PER_HOUR,
    maxOrganizationsPerUser: e.ROSTER_MAX_ORGANIZATIONS_PER_USER,
    signInAttemptsPerMinute: e.ROSTER_SIGN_IN_ATTEMPTS_PER_MINUTE,
    rateLimits: e.ROSTER_RATE_LIMITS,
    rateLimitStore: rateLimitStore(e.ROSTER_RATE_LIMIT_STORE, e.DATABASE_URL),
    trustProxy: e.ROSTER_TRUST_PROXY,
    sessionTokenAlg: e.ROSTER_SESSION_TOKEN_ALG,
    outboxLeaseMs: e.ROSTER_OUTBOX_LEASE_MS,
    outboxPollMs: e.ROSTER_OUTBOX_POLL_MS,
    expirySweepMs: e.ROSTER_EXPIRY_SWEEP_MS,
    pwnedPasswordsUrl: e.ROSTER_PWNED_PASSWORDS_URL?.replace(/\/+$/, '') ?? null,
    pwnedPasswordsTimeoutMs: e.ROSTER_PWNED_PASSWORDS_TIMEOUT_MS,
    webhook:
      e.ROSTER_WEBHOOK_URL && e.ROSTER_WEBHOOK_SECRET
        ? { url: e.ROSTER_WEBHOOK_URL, secret: e.ROSTER_WEBHOOK_SECRET }
        : null,
    webhookAllowPrivate: e.ROSTER_WEBHOOK_ALLOW_PRIVATE,
    webhookTimeoutMs: e.ROSTER_WEBHOOK_TIMEOUT_MS,
    webhookPollMs: e.ROSTER_WEBHOOK_POLL_MS,
    webhookLeaseMs: e.ROSTER_WEBHOOK_LEASE_MS,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * The secret key to use. When none is configured (development only; production refuses to
 * start without one) a key is generated on first start and kept in `<data dir>/secret-key`; the
 * keys it replaced (`roster secret-key rotate`) are read from `<data dir>/secret-key.previous`,
 * the expired ones left out. Returns the key, whether it was just generated, and the previous keys.
 */
export function resolveSecretKey(
  config: Config,
  now = Date.now(),
): { secretKey: string; generated: boolean; previousSecretKeys: PreviousSecretKey[] } {
  if (config.secretKey) {
    return { secretKey: config.secretKey, generated: false, previousSecretKeys: config.previousSecretKeys };
  }
  const files = secretKeyFiles(config.dataDir);
  const file = files.current;
  if (existsSync(file)) {
    const secretKey = readFileSync(file, 'utf8').trim();
    if (!SECRET_KEY_PATTERN.test(secretKey)) {
      throw new ConfigError(
        `Invalid configuration:\n  ROSTER_SECRET_KEY: not set, and ${file} does not hold a valid key (delete it to generate a new one)`,
      );
    }
    let fromFile: PreviousSecretKey[];
    try {
      fromFile = readPreviousKeyFile(files.previous).filter((k) => isUnexpired(k, now));
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  ROSTER_SECRET_KEY: not set, and ${(error as Error).message} (fix or delete it)`,
      );
    }
    return { secretKey, generated: false, previousSecretKeys: [...config.previousSecretKeys, ...fromFile] };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secretKey = generateSecretKey();
  writeFileSync(file, `${secretKey}\n`, { mode: 0o600 });
  return { secretKey, generated: true, previousSecretKeys: config.previousSecretKeys };
}
