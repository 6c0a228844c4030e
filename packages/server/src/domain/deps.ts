import type { EventSource } from './events/events.js';
import type { ImageNormalizer } from './images/images.js';
import type { Store } from './store.js';
import type { WebhookDeps } from './webhooks/webhooks.js';

/** Settings the domain acts on (parsed from the environment by config.ts). */
export interface DomainSettings {
  publicUrl: string;
  /** Origins allowed as `redirect_url` and for CORS, besides `publicUrl`. */
  allowedOrigins: string[];
  invitationTtlDays: number;
  sessionTtlMs: number;
  /** How long a Backend API lock keeps a user from signing in. */
  lockoutMs: number;
  defaultMaxAllowedMemberships: number;
  signUpCodeTtlMs: number;
  /** How many organizations a user may create for themselves (Frontend API); 0: no cap. */
  maxOrganizationsPerUser: number;
}

/**
 * The rate limits the domain spends itself, because only it knows what a request will do (which
 * addresses of a bulk create get mail). Each throws `too_many_requests` when spent.
 */
export interface DomainLimits {
  /** Spends one invitation mail to the address (normalized), across organizations. */
  invitationMail(emailNormalized: string): Promise<void>;
  /** Gives back one spent invitation mail (its create was refused after all). Best effort: never throws. */
  refundInvitationMail(emailNormalized: string): Promise<void>;
  /** Spends one resend of the invitation (a few per hour: each one mails its address again). */
  invitationResend(invitationId: string): Promise<void>;
  /** Spends one new shown link (copy-link) of the invitation. */
  invitationLink(invitationId: string): Promise<void>;
}

/** Password hashing, injected so the domain does not depend on a native module. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** True for a stored hash that is not this hasher's own kind (an imported digest): a sign-in replaces it. */
  needsRehash?(hash: string): boolean;
}

/**
 * A remote breached-password check (a k-anonymity range lookup). It answers true only for a
 * password it knows to be breached; any failure of its own answers false (fail-open) and is logged
 * by the implementation.
 */
export interface BreachedPasswordCheck {
  isBreached(password: string): Promise<boolean>;
}

/** Seals secrets (links, codes) for the outbox so the raw value is never stored in the clear. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Everything a domain function may use. */
export interface Deps {
  store: Store;
  now: () => number;
  settings: DomainSettings;
  passwords: PasswordHasher;
  /** The optional remote check (`ROSTER_PWNED_PASSWORDS_URL`); the offline list always applies. */
  breachedPasswords?: BreachedPasswordCheck;
  secrets: SecretBox;
  limits: DomainLimits;
  /** Called after a transaction that queued mail commits, so the dispatcher can send at once. */
  mailQueued: () => void;
  /** Describes changes as events (who, from where, the object's JSON); decision 022. */
  events: EventSource;
  /** Webhook endpoints and deliveries (the Backend API manages them). */
  webhooks: WebhookDeps;
  /** Decodes, resizes and re-encodes uploaded logos and user images. */
  images: ImageNormalizer;
}
