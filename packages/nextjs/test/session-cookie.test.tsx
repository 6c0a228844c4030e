// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { createRosterClient } from '@roster/react';
import { describe, expect, it } from 'vitest';
import { liveServerForFile, PASSWORD, uniqueEmail } from '../../react/test/support.js';
import { decodeClaims } from '../src/claims.js';
import { SessionCookieSync, type TokenIdentity } from '../src/session-cookie.js';

const live = liveServerForFile();

const sessionCookie = () => /(?:^|;\s*)__session=([^;]*)/.exec(document.cookie)?.[1] ?? null;

describe('SessionCookieSync keeps the __session cookie of the app origin current', () => {
  it('writes a token after sign-in, a new one after a change of organization, and clears it on sign-out', async () => {
    const email = uniqueEmail('cookie');
    await live.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD });
    // The page's own fetch from http://app.test (an allowed origin), CORS and all, as a browser would.
    const client = createRosterClient({ baseUrl: live.baseUrl, sessionToken: null });
    const identities: (TokenIdentity | null)[] = [];
    const sync = new SessionCookieSync(client, { onIdentityChange: (i) => identities.push(i) });
    sync.start();
    await sync.refresh();
    expect(sessionCookie()).toBeNull();
    expect(sync.getIdentity()).toBeNull();

    const { user } = await client.signIn.create({ identifier: email, password: PASSWORD });
    await sync.refresh();
    const first = decodeClaims(sessionCookie()!);
    expect(first).toMatchObject({ sub: user.id, iss: live.baseUrl });
    expect(first?.o).toBeUndefined();

    const acme = await client.createOrganization({ name: 'Acme' });
    await sync.refresh();
    expect(decodeClaims(sessionCookie()!)).toMatchObject({ sub: user.id, v: 2, o: { id: acme.id, rol: 'admin' } });

    await client.signOut();
    await sync.refresh();
    expect(sessionCookie()).toBeNull();
    sync.stop();

    expect(identities.map((i) => i && [i.userId, i.orgId])).toEqual([[user.id, null], [user.id, acme.id], null]);
  });
});
