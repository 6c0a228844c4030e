import { createRosterClient, type Organization, type RosterClient } from '@roster/client';
import { afterAll, beforeAll } from 'vitest';
import { type LiveRoster, type LiveRosterOptions, startLiveRoster } from '../../server/test/support/live-roster.js';

export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (prefix = 'user') => `${prefix}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/**
 * A real Roster (with its real SMTP server) in a child process (packages/server/test/support/live-roster.ts),
 * for tests that run under happy-dom, plus client helpers. The clients use the page's own `fetch`, from the
 * allowed origin `http://app.test`, with a bearer token: CORS preflights and all, as a browser would.
 */
export interface LiveServer extends LiveRoster {
  /** A client in bearer mode, signed out (`headers` go on every request, e.g. an Origin). */
  client(headers?: Record<string, string>): RosterClient;
  /** A user with a verified address, and a client signed in as them. */
  signedIn(
    email?: string,
    headers?: Record<string, string>,
  ): Promise<{ client: RosterClient; email: string; userId: string }>;
  /** A signed-in user who created (and administers) an organization. */
  admin(name?: string): Promise<{ client: RosterClient; email: string; userId: string; organization: Organization }>;
}

/** `options.env` is added to `ROSTER_ALLOWED_ORIGINS: 'http://app.test'`; the clock is real unless `clock: 'test'`. */
export async function startLiveServer(options: LiveRosterOptions = {}): Promise<LiveServer> {
  const live = await startLiveRoster({
    ...options,
    env: { ROSTER_ALLOWED_ORIGINS: 'http://app.test', ...options.env },
  });
  const client = (headers?: Record<string, string>) =>
    createRosterClient({ baseUrl: live.baseUrl, sessionToken: null, ...(headers && { headers }) });
  const signedIn: LiveServer['signedIn'] = async (email = uniqueEmail(), headers) => {
    const created = await live.bapi('POST', '/v1/users', {
      email_address: [email],
      password: PASSWORD,
      first_name: 'Test',
      last_name: email.split('@')[0],
    });
    if (created.status !== 200) throw new Error(`create user: ${JSON.stringify(created.body)}`);
    const c = client(headers);
    await c.signIn.create({ identifier: email, password: PASSWORD });
    return { client: c, email, userId: created.body.id as string };
  };
  return {
    ...live,
    client,
    signedIn,
    admin: async (name = 'Acme') => {
      const who = await signedIn(uniqueEmail('admin'));
      return { ...who, organization: await who.client.createOrganization({ name }) };
    },
  };
}

/**
 * One live server for every test of the calling file: started before the first, closed after the last.
 * The handle returned is filled in by then (use it inside tests and hooks only).
 */
export function liveServerForFile(options: LiveRosterOptions = {}): LiveServer {
  const live = {} as LiveServer;
  beforeAll(async () => {
    Object.assign(live, await startLiveServer(options));
  });
  afterAll(async () => {
    await live.close?.();
  });
  return live;
}
