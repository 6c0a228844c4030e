import { createRosterClient, type Organization, type RosterClient } from '@roster/react';
import { type LiveRoster, startLiveRoster } from '../../server/test/support/live-roster.js';

export const PASSWORD = 'correct horse battery staple';
export const uniqueEmail = (prefix = 'user') => `${prefix}-${Math.random().toString(36).slice(2, 8)}@example.com`;

export interface Live extends LiveRoster {
  /** A client in bearer mode, signed out (`headers` go on every request, e.g. an Origin). */
  client(headers?: Record<string, string>): RosterClient;
  signedIn(
    email?: string,
    headers?: Record<string, string>,
  ): Promise<{ client: RosterClient; email: string; userId: string }>;
  admin(name?: string): Promise<{ client: RosterClient; email: string; userId: string; organization: Organization }>;
}

/** A real Roster in a child process (see packages/server/test/support/live-roster.ts), plus helpers. */
export async function startLive(env: Record<string, string> = {}): Promise<Live> {
  const live = await startLiveRoster({ env: { ROSTER_ALLOWED_ORIGINS: 'http://app.test', ...env } });
  const client = (headers?: Record<string, string>) =>
    createRosterClient({ baseUrl: live.baseUrl, sessionToken: null, ...(headers && { headers }) });
  const signedIn: Live['signedIn'] = async (email = uniqueEmail(), headers) => {
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
