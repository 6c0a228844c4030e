import type { Logger } from 'pino';
import type { Brand } from '../brand.js';
import type { AuditLogStore } from '../domain/audit/audit-log.js';
import type { ConsoleStore } from '../domain/console/store.js';
import type { Deps } from '../domain/deps.js';
import type { IdempotencyStore } from '../domain/idempotency/store.js';
import type { Actor } from '../domain/memberships/policy.js';
import type { Session, UserWithEmails } from '../domain/records.js';
import type { MailSettings } from '../email/mail-settings.js';
import type { PreviousSecretKey } from '../secret-keys.js';
import type { RateLimits } from './rate-limits.js';

/** What every request handler can reach through `c.var`. */
export interface AppVariables {
  deps: Deps;
  log: Logger;
  limits: RateLimits;
  secretKey: string;
  /** Keys the secret key replaced, accepted until they expire. */
  previousSecretKeys: readonly PreviousSecretKey[];
  traceId: string;
  /** Where Idempotency-Key answers are kept. */
  idempotency: IdempotencyStore;
  auditLog: AuditLogStore;
  /** The operator console's keyset lists. */
  consoleStore: ConsoleStore;
  mailSettings: MailSettings;
  /** The instance's language (`ROSTER_LOCALE`), for hosted pages whose reader names none they speak. */
  locale: string;
  /** The instance's name, colour and logo (decision 050). */
  brand: Brand;
  actor: Actor;
  session: Session | null;
  user: UserWithEmails | null;
}

export type AppEnv = { Variables: AppVariables };
