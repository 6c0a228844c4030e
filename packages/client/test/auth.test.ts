import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { codeIn } from '../../server/test/support/smtp.js';
import {
  createRosterClient,
  isRosterAPIError,
  RosterAPIError,
  type RosterChangeEvent,
  RosterNetworkError,
  RosterTimeoutError,
  Session,
  User,
} from '../src/index.js';
import { liveRosterForEachTest, PASSWORD, uniqueEmail } from './support.js';

const live = liveRosterForEachTest();

describe('sign-up, sign-in and sign-out over HTTP', () => {
  it('signs up with the code from the real mail, keeps the bearer token and reads /me', async () => {
    const client = live.client();
    const events: RosterChangeEvent[] = [];
    client.onChange((e) => events.push(e));
    const email = uniqueEmail('linus');

    const started = await client.signUp.create({ emailAddress: email, password: PASSWORD, firstName: 'Linus' });
    expect(started).toEqual({
      status: 'needs_email_verification',
      emailAddress: email,
      signUpId: expect.stringMatching(/^su_/),
    });
    expect(client.sessionToken).toBeNull();

    const code = codeIn(await live.t.smtp.waitFor(email));
    const wrong = await client.signUp
      .verify({ emailAddress: email, code: code === '000000' ? '111111' : '000000' })
      .catch((e) => e);
    expect(isRosterAPIError(wrong, 'form_code_incorrect')).toBe(true);

    const done = await client.signUp.verify({ emailAddress: email, code });
    expect(done.status).toBe('complete');
    expect(done.user).toBeInstanceOf(User);
    expect(done.user.firstName).toBe('Linus');
    expect(done.user.primaryEmailAddress).toMatchObject({ emailAddress: email, verified: true });
    expect(done.session).toBeInstanceOf(Session);
    expect(done.session.expireAt).toBeInstanceOf(Date);
    expect(client.sessionToken).toMatch(/\S{20,}/);
    expect(events).toEqual([{ kind: 'signed_in', organizationId: null }]);

    const me = await client.getMe();
    expect(me.user.id).toBe(done.user.id);
    expect(me.session.id).toBe(done.session.id);
    expect(me.memberships).toEqual([]);
  });

  it('signs in, refuses a wrong password with a typed error, and signs out', async () => {
    const { email } = await live.signedIn();
    const client = live.client();

    const wrong = await client.signIn.create({ identifier: email, password: 'not the password' }).catch((e) => e);
    expect(wrong).toBeInstanceOf(RosterAPIError);
    expect(wrong.status).toBe(422);
    expect(wrong.code).toBe('form_password_incorrect');
    expect(wrong.errors[0]).toMatchObject({ code: 'form_password_incorrect', message: expect.any(String) });
    expect(wrong.errors[0].longMessage).toMatch(/incorrect/);
    expect(wrong.traceId).toEqual(expect.any(String));

    const signedIn = await client.signIn.create({ identifier: email, password: PASSWORD });
    expect(signedIn.user.primaryEmailAddress?.emailAddress).toBe(email);
    const token = client.sessionToken;
    expect(token).toBeTruthy();

    // The token alone is the session: a second client given it sees the same user.
    const other = createRosterClient({ baseUrl: live.baseUrl, sessionToken: token });
    expect((await other.getMe()).user.id).toBe(signedIn.user.id);

    const events: RosterChangeEvent[] = [];
    client.onChange((e) => events.push(e));
    await client.signOut();
    expect(client.sessionToken).toBeNull();
    expect(events).toEqual([{ kind: 'signed_out', organizationId: null }]);
    const gone = await other.getMe().catch((e) => e);
    expect(gone).toBeInstanceOf(RosterAPIError);
    expect(gone.status).toBe(401);
    expect(gone.code).toBe('session_invalid');
  });

  it('reports validation failures per parameter with camelCased meta', async () => {
    const error = await live
      .client()
      .signUp.create({ emailAddress: 'not an email', password: 'short' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RosterAPIError);
    expect(error.status).toBe(422);
    const params = error.errors.map((e: { meta: { paramName?: string } }) => e.meta.paramName).sort();
    expect(params).toEqual(['email_address', 'password']);
  });
});

describe('network failures', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it('throws RosterNetworkError when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const client = createRosterClient({ baseUrl: `http://127.0.0.1:${port}`, sessionToken: null });
    const error = await client.getMe().catch((e) => e);
    expect(error).toBeInstanceOf(RosterNetworkError);
    expect(error).not.toBeInstanceOf(RosterTimeoutError);
  });

  it('throws RosterTimeoutError when the server accepts but never answers', async () => {
    const sockets: import('node:net').Socket[] = [];
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    const client = createRosterClient({ baseUrl: `http://127.0.0.1:${port}`, sessionToken: null, timeoutMs: 200 });
    const error = await client.getMe().catch((e) => e);
    expect(error).toBeInstanceOf(RosterTimeoutError);
    expect(error).toBeInstanceOf(RosterNetworkError);
    expect(error.timeoutMs).toBe(200);
    for (const s of sockets) s.destroy();
  });
});
