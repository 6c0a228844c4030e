import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveRoster, startLiveRoster } from './support.js';

let live: LiveRoster;
beforeAll(async () => {
  live = await startLiveRoster();
});
afterAll(async () => {
  await live?.close();
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe('getToken()', () => {
  it('mints a short-lived token for the session, reuses it, and mints anew after a change', async () => {
    const { client, userId } = await live.signedIn();
    const token = (await client.getToken())!;
    const me = await client.getMe();
    expect(claimsOf(token)).toMatchObject({ sub: userId, sid: me.session.id });
    expect(claimsOf(token).o).toBeUndefined();
    expect(await client.getToken()).toBe(token);
    expect(await Promise.all([client.getToken(), client.getToken()])).toEqual([token, token]);

    const organization = await client.createOrganization({ name: 'Acme' });
    const after = (await client.getToken())!;
    expect(claimsOf(after)).toMatchObject({ sub: userId, v: 2, o: { id: organization.id, rol: 'admin' } });
    expect(claimsOf((await client.getToken({ skipCache: true }))!)).toMatchObject({ o: { id: organization.id } });
  });

  it('is null when signed out, and learns the session from /me when the client did not sign in itself', async () => {
    const anonymous = live.client();
    expect(await anonymous.getToken()).toBeNull();

    const { client, userId } = await live.signedIn();
    const { createRosterClient } = await import('../src/index.js');
    const same = createRosterClient({ baseUrl: live.baseUrl, sessionToken: client.sessionToken });
    expect(claimsOf((await same.getToken())!).sub).toBe(userId);

    await client.signOut();
    expect(await client.getToken()).toBeNull();
    // The other client's session ended with it: its next token is refused, and it says so with null.
    expect(await same.getToken({ skipCache: true })).toBeNull();
  });
});
