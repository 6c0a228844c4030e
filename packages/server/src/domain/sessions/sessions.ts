import { newId, newToken, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import type { Page, Session, UserWithEmails } from '../records.js';
import type { Store } from '../store.js';
import { maySignIn, requireMaySignIn } from '../users/restrictions.js';

/** A session and the raw token that identifies it (returned once, never stored). */
export interface IssuedSession {
  session: Session;
  token: string;
}

/**
 * Starts a session for a user. Each sign-in gets a fresh token (the old one, if the caller had
 * one, is ended by the HTTP layer), so a token seen before authentication is never promoted.
 * Without an organization given, the session starts in the user's newest membership, if any
 * (decision 027): `null` then always means the personal account, for the token and the hooks alike.
 */
export async function startSession(
  deps: Deps,
  tx: Store,
  user: UserWithEmails,
  activeOrganizationId: string | null = null,
): Promise<IssuedSession> {
  const now = deps.now();
  requireMaySignIn(user, now);
  const token = newToken();
  const active =
    activeOrganizationId ??
    (await tx.listMemberships({ userId: user.id, limit: 1, offset: 0 })).data[0]?.organizationId ??
    null;
  const origin = deps.events.origin?.() ?? null;
  const session: Session = {
    id: newId('sess'),
    userId: user.id,
    tokenHash: sha256(token),
    activeOrganizationId: active,
    createdAt: now,
    expiresAt: now + deps.settings.sessionTtlMs,
    lastActiveAt: now,
    clientIp: origin?.ip ?? null,
    userAgent: origin?.userAgent ?? null,
  };
  // With its event, atomically (a no-op wrapper when `tx` is a transaction already).
  await tx.transaction(async (t) => {
    await t.createSession(session);
    await t.updateUser(user.id, { lastSignInAt: now });
    await recordEvents(deps.events, t, [
      { type: 'session.created', organizationId: null, subject: { kind: 'session', session } },
    ]);
  });
  return { session, token };
}

/** Finds the live session for a token, and its user, sliding its expiry forward at most once a minute. */
export async function resolveSession(
  deps: Deps,
  token: string,
): Promise<{ session: Session; user: UserWithEmails } | null> {
  if (!token || token.length > 256) return null;
  const found = await deps.store.findSessionByTokenHash(sha256(token));
  const now = deps.now();
  if (!found) return null;
  const { session, user } = found;
  // A session made by a sign-in that raced a ban or lock ends the first time it is used.
  if (session.expiresAt <= now || !maySignIn(user, now)) {
    await deps.store.deleteSession(session.id);
    return null;
  }
  if (now - session.lastActiveAt > 60_000) {
    const expiresAt = now + deps.settings.sessionTtlMs;
    await deps.store.updateSession(session.id, { lastActiveAt: now, expiresAt });
    return { session: { ...session, lastActiveAt: now, expiresAt }, user };
  }
  return { session, user };
}

/** Ends a session (sign-out), with its `session.ended` event. */
export function endSession(deps: Deps, session: Session): Promise<void> {
  return deps.store.transaction(async (tx) => {
    await tx.deleteSession(session.id);
    await recordEvents(deps.events, tx, [
      { type: 'session.ended', organizationId: null, subject: { kind: 'session', session, ended: true } },
    ]);
  });
}

/** The session with this id; `resource_not_found` if there is none (ended, revoked or never made). */
export async function getSession(store: Store, id: string): Promise<Session> {
  const session = await store.findSession(id);
  if (!session) throw new AppError('resource_not_found', { meta: { param_name: 'session_id' } });
  return session;
}

/** The user's live sessions, most recently active first (their devices, for `<UserProfile/>`). */
export async function listOwnSessions(deps: Deps, userId: string): Promise<Session[]> {
  const now = deps.now();
  const page = await deps.store.listSessions({ userId, limit: 100, offset: 0 });
  return page.data.filter((s) => s.expiresAt > now).sort((a, b) => b.lastActiveAt - a.lastActiveAt);
}

/** Signs the user out of one of their sessions (another device, say); another user's is `resource_not_found`. */
export async function revokeOwnSession(deps: Deps, userId: string, sessionId: string): Promise<Session> {
  const session = await deps.store.findSession(sessionId);
  if (!session || session.userId !== userId)
    throw new AppError('resource_not_found', { meta: { param_name: 'session_id' } });
  await endSession(deps, session);
  return session;
}

/**
 * Revokes a session (the Backend API's revoke): it ends at once, so its cookie signs in no more and
 * no new session token is issued for it; tokens already issued run out within their lifetime.
 */
export async function revokeSession(deps: Deps, id: string): Promise<Session> {
  const session = await getSession(deps.store, id);
  await endSession(deps, session);
  return session;
}

/** Sessions newest first: a user's, or the ones named (the Backend API's and the console's lists). */
export function listSessions(deps: Deps, options: Parameters<Store['listSessions']>[0]): Promise<Page<Session>> {
  return deps.store.listSessions(options);
}

/**
 * Sets the session's active organization (null: the personal account). The session's user must be
 * a member: an organization that does not exist or that they do not belong to is
 * `not_a_member_in_organization`, so the answer says nothing about organizations they are not in.
 */
export async function setActiveOrganization(
  deps: Deps,
  input: { session: Session; organizationId: string | null },
): Promise<Session> {
  let activeOrganizationId: string | null = null;
  if (input.organizationId) {
    const org = await deps.store.findOrganization(input.organizationId);
    if (!org || !(await deps.store.findMembership(org.id, input.session.userId))) {
      throw new AppError('not_a_member_in_organization', { meta: { organization_id: input.organizationId } });
    }
    activeOrganizationId = org.id;
  }
  await deps.store.updateSession(input.session.id, { activeOrganizationId });
  return { ...input.session, activeOrganizationId };
}

/**
 * Makes an organization the user has just created or joined the session's active one. Unchecked:
 * the caller has just made the membership (decision 027 says when joining moves you).
 */
export async function enterOrganization(
  deps: Deps,
  input: { session: Session; organizationId: string },
): Promise<Session> {
  await deps.store.updateSession(input.session.id, { activeOrganizationId: input.organizationId });
  return { ...input.session, activeOrganizationId: input.organizationId };
}
