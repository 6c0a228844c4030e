import { afterEach, beforeEach } from 'vitest';
import { json, startTestRoster, type TestRoster } from '../../server/test/support/harness.js';
import { codeIn } from '../../server/test/support/smtp.js';
import { createRosterClient, type RosterClient } from '../src/index.js';

export const PASSWORD = 'correct horse battery staple';

export interface LiveRoster {
  t: TestRoster;
  /** The listening server, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** A Node client in bearer mode, signed out. */
  client(): RosterClient;
  /** A user created through the Backend API (verified address), and a client signed in as them. */
  signedIn(email?: string): Promise<{ client: RosterClient; email: string; userId: string }>;
  /** A user with an organization they administer. */
  admin(name?: string): Promise<{
    client: RosterClient;
    email: string;
    userId: string;
    organization: Awaited<ReturnType<RosterClient['createOrganization']>>;
  }>;
  /** Signs up through the Frontend API, reading the code from the real SMTP server. */
  signUp(email: string): Promise<RosterClient>;
  close(): Promise<void>;
}

export const uniqueEmail = (prefix = 'user') => `${prefix}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** A real Roster listening on 127.0.0.1 with a real SMTP server; the client talks HTTP to it. */
export async function startLiveRoster(): Promise<LiveRoster> {
  const t = await startTestRoster({
    env: { PORT: '0', HOST: '127.0.0.1', ROSTER_ALLOWED_ORIGINS: 'http://app.test' },
  });
  const url = await t.roster.listen();
  // The harness reports `localhost`, but the server binds 127.0.0.1 only (localhost may resolve to ::1).
  const baseUrl = url.replace('//localhost:', '//127.0.0.1:');
  const client = () => createRosterClient({ baseUrl, sessionToken: null });

  const signedIn: LiveRoster['signedIn'] = async (email = uniqueEmail()) => {
    const res = await t.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Test' });
    if (res.status !== 200) throw new Error(`create user failed: ${await res.text()}`);
    const user = await json(res);
    const c = client();
    await c.signIn.create({ identifier: email, password: PASSWORD });
    return { client: c, email, userId: user.id as string };
  };

  return {
    t,
    baseUrl,
    client,
    signedIn,
    admin: async (name = 'Acme') => {
      const who = await signedIn(uniqueEmail('admin'));
      const organization = await who.client.createOrganization({ name });
      return { ...who, organization };
    },
    signUp: async (email) => {
      const c = client();
      await c.signUp.create({ emailAddress: email, password: PASSWORD, firstName: 'New' });
      const code = codeIn(await t.smtp.waitFor(email));
      await c.signUp.verify({ emailAddress: email, code });
      return c;
    },
    close: () => t.close(),
  };
}

/** A fresh live Roster for each test of the calling file, closed after it (the handle is refilled before each test). */
export function liveRosterForEachTest(): LiveRoster {
  const live = {} as LiveRoster;
  beforeEach(async () => {
    Object.assign(live, await startLiveRoster());
  });
  afterEach(async () => {
    await live.close();
  });
  return live;
}
