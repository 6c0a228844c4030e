import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors.js';

/**
 * The rate limits, each a rate-limiter-flexible limiter. In memory by default (one instance);
 * `createRateLimits` takes a factory so a shared store (Redis, PostgreSQL) can back them.
 */
export interface RateLimits {
  /** Invitations created per organization per hour. */
  invitationsPerOrganization: RateLimiterAbstract;
  /**
   * Invitation mails per recipient address per hour, across organizations and both APIs: no one
   * can make Roster mail an address more often, however many invite/revoke rounds they run.
   */
  mailsPerAddress: RateLimiterAbstract;
  /** Resends of one invitation per hour, on both APIs (each also spends `mailsPerAddress`). */
  resendsPerInvitation: RateLimiterAbstract;
  /** New shown links (copy-link) of one invitation per hour. */
  linksPerInvitation: RateLimiterAbstract;
  /** Invitations one user creates per hour through the Frontend API (the Backend API is trusted). */
  invitationsPerUser: RateLimiterAbstract;
  /** Sign-in attempts per client IP per minute. */
  signInPerIp: RateLimiterAbstract;
  /** Sign-in attempts per account (email) per 15 minutes. */
  signInPerAccount: RateLimiterAbstract;
  /** Link lookups, accepts and link sign-ups per client IP per minute. */
  ticketsPerIp: RateLimiterAbstract;
  /** Accept attempts per account per minute. */
  acceptPerAccount: RateLimiterAbstract;
  /** Sign-ups and code verifications per client IP per hour. */
  signUpPerIp: RateLimiterAbstract;
  /** Codes mailed per address per hour (password reset, adding an address). */
  codeMailsPerAddress: RateLimiterAbstract;
  /** Password reset and address verification steps per client IP per hour. */
  codesPerIp: RateLimiterAbstract;
  enabled: boolean;
}

export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

export function createRateLimits(
  settings: {
    invitationsPerHour: number;
    mailsPerAddressPerHour: number;
    userInvitationsPerHour: number;
    signInAttemptsPerMinute: number;
    enabled: boolean;
  },
  factory: LimiterFactory = memoryLimiters,
): RateLimits {
  return {
    invitationsPerOrganization: factory({
      keyPrefix: 'rl_inv_org',
      points: settings.invitationsPerHour,
      duration: 3600,
    }),
    mailsPerAddress: factory({ keyPrefix: 'rl_mail_addr', points: settings.mailsPerAddressPerHour, duration: 3600 }),
    resendsPerInvitation: factory({ keyPrefix: 'rl_inv_resend', points: 3, duration: 3600 }),
    linksPerInvitation: factory({ keyPrefix: 'rl_inv_link', points: 10, duration: 3600 }),
    invitationsPerUser: factory({ keyPrefix: 'rl_inv_user', points: settings.userInvitationsPerHour, duration: 3600 }),
    signInPerIp: factory({ keyPrefix: 'rl_signin_ip', points: settings.signInAttemptsPerMinute, duration: 60 }),
    signInPerAccount: factory({ keyPrefix: 'rl_signin_acct', points: 20, duration: 900 }),
    ticketsPerIp: factory({ keyPrefix: 'rl_ticket_ip', points: 60, duration: 60 }),
    acceptPerAccount: factory({ keyPrefix: 'rl_accept_acct', points: 30, duration: 60 }),
    signUpPerIp: factory({ keyPrefix: 'rl_signup_ip', points: 30, duration: 3600 }),
    codeMailsPerAddress: factory({ keyPrefix: 'rl_code_mail_addr', points: 5, duration: 3600 }),
    codesPerIp: factory({ keyPrefix: 'rl_codes_ip', points: 60, duration: 3600 }),
    enabled: settings.enabled,
  };
}

/**
 * Takes `points` from a limiter for `key`, or throws `too_many_requests` with the seconds to wait.
 * A refused request of several points (a bulk create that does not fit) gives them back, so it
 * does not spend what is left of the budget on work that was never done.
 */
/** Gives `points` back to `key` (a spend whose work was refused after all). Best effort: never throws. */
export async function refund(limits: RateLimits, limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
  if (!limits.enabled) return;
  await limiter.reward(key, points).catch(() => undefined);
}

export async function consume(
  limits: RateLimits,
  limiter: RateLimiterAbstract,
  key: string,
  points = 1,
): Promise<void> {
  if (!limits.enabled) return;
  try {
    await limiter.consume(key, points);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      if (points > 1) await limiter.reward(key, points).catch(() => undefined); // best effort: the 429 stands
      throw new AppError('too_many_requests', { retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) });
    }
    throw error;
  }
}
