import type { AuthResultJSON } from '@roster/protocol';
import type { Context } from 'hono';
import type { Membership, Session, UserWithEmails } from '../domain/records.js';
import type { AppEnv } from './env.js';
import { serializeMemberships, sessionJSON, userJSON } from './serialize.js';

/**
 * The Frontend API's sign-in and sign-up answers, built in one place: `complete` (a session just
 * started, its cookie already set; with the membership it joined, when it came from an invitation)
 * and `needs_email_verification` (a sign-up waiting for its mailed code).
 */
export async function completeResult(
  c: Context<AppEnv>,
  done: { user: UserWithEmails; session: Session; membership?: Membership | null; redirectUrl?: string | null },
): Promise<AuthResultJSON> {
  const membership = done.membership
    ? ((await serializeMemberships(c.var.deps.store, [done.membership], 'frontend', c.var.deps.now()))[0] ?? null)
    : null;
  return {
    status: 'complete',
    user: userJSON(done.user, 'frontend'),
    session: sessionJSON(done.session),
    organization_membership: membership,
    redirect_url: done.redirectUrl ?? null,
    email_address: null,
  };
}

/** A sign-up waiting for the code mailed to `emailAddress`; only the client holding `signUpId` can finish it. */
export function needsEmailVerification(emailAddress: string, signUpId: string): AuthResultJSON {
  return {
    status: 'needs_email_verification',
    user: null,
    session: null,
    organization_membership: null,
    redirect_url: null,
    email_address: emailAddress,
    sign_up_id: signUpId,
  };
}
