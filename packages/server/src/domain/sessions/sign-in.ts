import { normalizeEmail } from '../crypto.js';
import type { Deps } from '../deps.js';
import type { Session, UserWithEmails } from '../records.js';
import { authenticate } from '../users/users.js';
import { startSession } from './sessions.js';

/** What every password sign-in takes (the Frontend API, the hosted pages, invitation links). */
export interface PasswordSignInInput {
  identifier: string;
  password: string;
  /**
   * The caller's per-account rate limit, called with the normalised identifier before any password
   * work (so a wrong password and a missing account spend the same budget).
   */
  throttle?: (accountKey: string) => Promise<void>;
  /**
   * Runs once the password is proven and before the session starts (accepting an invitation link,
   * say); what it returns becomes the session's active organization. If it throws, no session starts.
   */
  beforeSession?: (user: UserWithEmails) => Promise<string | null | undefined>;
  /** The new session's active organization, when `beforeSession` does not pick one. */
  activeOrganizationId?: string | null;
}

/** The key a sign-in counts against for per-account limits: the identifier as accounts are matched. */
export function signInAccountKey(identifier: string): string {
  return normalizeEmail(identifier).slice(0, 320);
}

/**
 * The one password sign-in sequence: throttle by account, check the password (the same error, and
 * the same hashing work, whether the account is missing or the password wrong), run the caller's
 * step, then start a fresh session. The caller sets the cookie and ends any session it had.
 */
export async function signInWithPassword(
  deps: Deps,
  input: PasswordSignInInput,
): Promise<{ user: UserWithEmails; session: Session; token: string }> {
  await input.throttle?.(signInAccountKey(input.identifier));
  const user = await authenticate(deps, { identifier: input.identifier, password: input.password });
  const picked = await input.beforeSession?.(user);
  const issued = await startSession(deps, deps.store, user, picked ?? input.activeOrganizationId ?? null);
  return { user, ...issued };
}
