import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type ServerType, serve } from '@hono/node-server';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { loadBrand, mailBrand } from './brand.js';
import type { Config } from './config.js';
import { sweepAuditLog } from './domain/audit/audit-log.js';
import { sha256 } from './domain/crypto.js';
import type { Deps, PasswordHasher } from './domain/deps.js';
import { AppError } from './domain/errors.js';
import { sweepIdempotencyKeys } from './domain/idempotency/store.js';
import { createExpirySweeper, type ExpirySweeper } from './domain/invitations/expiry-sweeper.js';
import { loadMailTemplates } from './email/custom-templates.js';
import { kyselyDevMailbox } from './email/dev-mailbox.js';
import { createDispatcher, type Dispatcher } from './email/dispatcher.js';
import { createMailSettings } from './email/mail-settings.js';
import { kyselyMailSettingsStore } from './email/mail-settings-store.js';
import { createSecretBox } from './email/secret-box.js';
import { devMailboxTransport, type MailTransport, smtpTransport } from './email/transports.js';
import { createApp } from './http/app.js';
import { devMailTemplateRoutes } from './http/dev-mail-templates.js';
import { devMailboxRoutes } from './http/dev-mailbox.js';
import { createEventSource } from './http/event-source.js';
import { consume, createRateLimits, type LimiterFactory, refund } from './http/rate-limits.js';
import { sharpImages } from './images.js';
import { argon2Passwords } from './passwords.js';
import { pwnedPasswordsRange } from './pwned-passwords.js';
import { createLimiterStore } from './rate-limit-stores.js';
import { isUnexpired } from './secret-keys.js';
import { createSigningKeys } from './signing-keys.js';
import { KyselyAuditLogStore } from './storage/audit-log.js';
import { KyselyConsoleStore } from './storage/console.js';
import { type DatabaseHandle, isStorageFull, openDatabase } from './storage/database.js';
import { KyselyIdempotencyStore } from './storage/idempotency-store.js';
import { KyselyStore } from './storage/kysely-store.js';
import { migrate } from './storage/migrations.js';

import { kyselySigningKeyStore } from './storage/signing-keys.js';
import { KyselyWebhookStore } from './storage/webhooks.js';
import { configureWebhookEndpoint } from './webhooks/configured.js';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './webhooks/dispatcher.js';
import { webhookUrlCheck } from './webhooks/url-check.js';

/** Everything a running Roster consists of; `close()` stops it in order. */
export interface Roster {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  store: KyselyStore;
  database: DatabaseHandle;
  dispatcher: Dispatcher;
  webhooks: WebhookDispatcher;
  sweeper: ExpirySweeper;
  log: Logger;
  secretKey: string;
  /** Set by `listen()`. */
  url: string | null;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface RosterOverrides {
  /** Replaces the transport chosen from the config (tests use a real SMTP server instead). */
  transport?: MailTransport;
  logger?: Logger;
  now?: () => number;
  passwords?: PasswordHasher;
  limiterFactory?: LimiterFactory;
  /** Start the outbox dispatcher's poll loop (default true). */
  dispatch?: boolean;
  /** Start the expiry sweeper (default true). */
  sweep?: boolean;
  /** Start the webhook dispatcher's poll loop (default true). */
  deliverWebhooks?: boolean;
  webhookOptions?: Partial<
    Pick<WebhookDispatcherOptions, 'leaseMs' | 'pollMs' | 'timeoutMs' | 'backoffMs' | 'disableAfterMs' | 'batchSize'>
  >;
  dispatcherOptions?: {
    leaseMs?: number;
    pollMs?: number;
    maxAttempts?: number;
    backoffMs?: (attempt: number) => number;
  };
}

/** The logger: JSON lines, with credentials redacted wherever they might appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        // A safety net only: nothing logs headers, bodies or credentials on purpose. `code` is
        // left out on purpose: `err.code` (SQLITE_BUSY, ECONNREFUSED) is what an operator needs.
        paths: [
          'authorization',
          'cookie',
          'password',
          'token',
          'ticket',
          'secretKey',
          'headers',
          '*.authorization',
          '*.cookie',
          '*.password',
          '*.token',
          '*.ticket',
          '*.secretKey',
          '*.headers',
          'err.config',
        ],
        censor: '[REDACTED]',
      },
    },
    destination,
  );
}

/** Builds a Roster from a config: database (migrated), domain deps, outbox dispatcher, HTTP app. */
export async function createRoster(
  config: Config & { secretKey: string },
  overrides: RosterOverrides = {},
): Promise<Roster> {
  // Checked first, so a broken template stops the start with the file named (decision 045).
  const mailTemplates = config.emailTemplatesDir ? loadMailTemplates(config.emailTemplatesDir) : null;
  // So is the brand's logo (decision 050).
  const brand = await loadBrand(config.brand);
  const brandInMail = mailBrand(brand, config.publicUrl);
  const log = overrides.logger ?? createLogger(config.logLevel);
  const database = openDatabase(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    sqliteSynchronous: config.sqliteSynchronous,
  });
  await migrate(database.db as never, database.dialect);
  const store = new KyselyStore(database.db, database.dialect);
  const idempotency = new KyselyIdempotencyStore(database.db);
  const auditLog = new KyselyAuditLogStore(database.db);
  const now = overrides.now ?? Date.now;
  // The keys the secret key replaced, while their grace period lasts (checked at each use).
  const previousKeys = () =>
    config.previousSecretKeys.filter((k) => isUnexpired(k, now()) && k.key !== config.secretKey).map((k) => k.key);
  const secrets = createSecretBox(config.secretKey, { previousKeys });
  // Created by the first instance to sign with this secret key, read by the others (decision 025).
  const signingKeys = createSigningKeys({
    store: kyselySigningKeyStore(database.db),
    secretKey: config.secretKey,
    previousKeys,
    alg: config.sessionTokenAlg,
    now,
  });
  const devMailbox = config.smtpUrl || overrides.transport ? null : kyselyDevMailbox(database.db);
  // The server an operator sets in the console wins over the one the environment gave (decision 043).
  const mailSettings = createMailSettings({
    store: kyselyMailSettingsStore(database.db),
    secrets: createSecretBox(config.secretKey, { previousKeys, info: 'roster-mail-settings-v1' }),
    envSmtpUrl: config.smtpUrl,
    envFrom: config.mailFrom,
    fallback:
      overrides.transport ??
      (config.smtpUrl ? smtpTransport(config.smtpUrl) : devMailboxTransport(devMailbox!, (line) => log.info(line))),
    now,
  });
  const transport = mailSettings.transport;

  const limiterStore = createLimiterStore(config.rateLimitStore, database.pool);
  const limits = createRateLimits(
    {
      invitationsPerHour: config.invitationsPerHour,
      mailsPerAddressPerHour: config.mailsPerAddressPerHour,
      userInvitationsPerHour: config.userInvitationsPerHour,
      signInAttemptsPerMinute: config.signInAttemptsPerMinute,
      enabled: config.rateLimits,
    },
    overrides.limiterFactory ?? limiterStore.factory,
  );
  let dispatcher: Dispatcher | null = null;
  const webhookStore = new KyselyWebhookStore(database.db, database.dialect);
  const checkUrl = webhookUrlCheck({ allowPrivate: config.webhookAllowPrivate });
  const deps: Deps = {
    store,
    now,
    settings: {
      publicUrl: config.publicUrl,
      allowedOrigins: config.allowedOrigins,
      invitationTtlDays: config.invitationTtlDays,
      sessionTtlMs: config.sessionTtlDays * 86_400_000,
      lockoutMs: config.lockoutMinutes * 60_000,
      defaultMaxAllowedMemberships: config.defaultMaxAllowedMemberships,
      signUpCodeTtlMs: 10 * 60_000,
      maxOrganizationsPerUser: config.maxOrganizationsPerUser,
    },
    limits: {
      invitationMail: (email) => consume(limits, limits.mailsPerAddress, email),
      refundInvitationMail: (email) => refund(limits, limits.mailsPerAddress, email),
      invitationResend: (id) => consume(limits, limits.resendsPerInvitation, id),
      invitationLink: (id) => consume(limits, limits.linksPerInvitation, id),
    },
    passwords: overrides.passwords ?? argon2Passwords,
    ...(config.pwnedPasswordsUrl && {
      breachedPasswords: pwnedPasswordsRange({
        url: config.pwnedPasswordsUrl,
        timeoutMs: config.pwnedPasswordsTimeoutMs,
        log: { warn: (o, m) => log.warn(o, m) },
      }),
    }),
    secrets,
    mailQueued: () => dispatcher?.kick(),
    events: createEventSource({ now }),
    webhooks: { store: webhookStore, secrets, now, checkUrl },
    images: sharpImages,
  };
  if (config.webhook) await configureWebhookEndpoint(deps.webhooks, config.webhook);
  dispatcher = createDispatcher({
    store,
    transport,
    secrets,
    from: config.mailFrom,
    locale: config.locale,
    templates: mailTemplates,
    brand: brandInMail,
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ...(overrides.now && { now: overrides.now }),
    log: { info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m) },
    leaseMs: config.outboxLeaseMs,
    pollMs: config.outboxPollMs,
    // A batch's email.* events are committed with its outcomes: send their webhooks now.
    onRecorded: () => webhooks.kick(),
    ...overrides.dispatcherOptions,
  });
  const processId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const webhooks = createWebhookDispatcher({
    store: webhookStore,
    secrets,
    checkUrl,
    instanceId: processId,
    rosterInstanceId: `ins_${sha256(config.publicUrl).slice(0, 27)}`,
    ...(overrides.now && { now: overrides.now }),
    log: { info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m) },
    timeoutMs: config.webhookTimeoutMs,
    pollMs: config.webhookPollMs,
    leaseMs: config.webhookLeaseMs,
    ...overrides.webhookOptions,
  });
  const sweeper = createExpirySweeper({
    store,
    now: deps.now,
    events: deps.events,
    intervalMs: config.expirySweepMs,
    onError: (err) => log.warn({ err }, 'expiry sweep failed'),
    alsoSweep: async () => {
      await sweepIdempotencyKeys(idempotency, deps.now());
      await sweepAuditLog(auditLog, deps.now(), config.auditRetentionDays * 86_400_000);
    },
  });
  const app = createApp({
    deps,
    log,
    locale: config.locale,
    brand,
    limits,
    secretKey: config.secretKey,
    previousSecretKeys: config.previousSecretKeys,
    signingKeys,
    ping: async () => {
      await sql`select 1`.execute(database.db);
      // Full storage is seen on the writes it refuses. While one is outstanding, each health check
      // tries a write of its own (an empty table created and dropped, committed): the storage is
      // reported full until that works, so an instance taken out of rotation comes back with room.
      const full = database.storage.full;
      if (full) {
        const probe = database.db.transaction().execute(async (trx) => {
          await sql`create table roster_write_probe (id integer)`.execute(trx);
          await sql`drop table roster_write_probe`.execute(trx);
        });
        const refused = await probe.then(
          () => null,
          (error: unknown) => error,
        );
        if (refused && !isStorageFull(refused)) throw refused;
        if (refused) throw new AppError('storage_full', { meta: { reason: full.reason }, cause: refused });
        database.storage.clear();
      }
    },
    idempotency,
    auditLog,
    consoleStore: new KyselyConsoleStore(database.db),
    mailSettings,
    trustProxy: config.trustProxy,
    // A write's events are committed once its response is ready: send their webhooks now.
    afterWrite: () => webhooks.kick(),
    afterAcceptUrl: config.afterAcceptUrl,
    // Development pages: the dev mailbox (when it is the transport) and the mail template preview.
    ...(config.env !== 'production' && {
      extraRoutes: (a) => {
        if (devMailbox) a.route('/', devMailboxRoutes(devMailbox));
        a.route('/', devMailTemplateRoutes(mailTemplates, brandInMail));
      },
    }),
  });
  if (overrides.dispatch !== false) dispatcher.start();
  if (overrides.sweep !== false) sweeper.start();
  if (overrides.deliverWebhooks !== false) webhooks.start();

  let server: ServerType | null = null;
  const roster: Roster = {
    app,
    deps,
    store,
    database,
    dispatcher,
    webhooks,
    sweeper,
    log,
    secretKey: config.secretKey,
    url: null,
    listen: () =>
      new Promise((resolve, reject) => {
        const listening = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
          listening.off('error', reject);
          server = listening;
          // Loopback and every-interface binds both answer on this machine's localhost, as the default public URL says.
          const host = ['0.0.0.0', '::', '127.0.0.1'].includes(config.host) ? 'localhost' : config.host;
          roster.url = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
          resolve(roster.url);
        });
        // EADDRINUSE, EACCES: without this the error is unhandled and the process dies with a stack trace.
        listening.once('error', reject);
      }),
    close: async () => {
      const listening = server;
      server = null;
      if (listening) {
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          // Keep-alive connections with no request in flight would otherwise hold close() open.
          if ('closeIdleConnections' in listening) listening.closeIdleConnections();
        });
      }
      await dispatcher.stop();
      await webhooks.stop();
      transport.close?.();
      await sweeper.stop();
      await limiterStore.close();
      await database.close();
    },
  };
  return roster;
}
