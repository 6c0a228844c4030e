import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LiveServer, startLiveServer } from '../../react/test/support.js';
import { auth, authenticateToken, rosterMiddleware, verifySessionToken } from '../src/server.js';

// `auth()` without a request reads the headers of the request being rendered.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current }));

let live: LiveServer;
let other: LiveServer;
beforeAll(async () => {
  [live, other] = await Promise.all([startLiveServer(), startLiveServer()]);
});
afterAll(async () => {
  await Promise.all([live?.close(), other?.close()]);
});
afterEach(() => {
  vi.useRealTimers();
  delete process.env.ROSTER_URL;
});

const cookieRequest = (url: string, token: string) =>
  new NextRequest(new URL(url, 'http://app.test'), { headers: { cookie: `theme=dark; __session=${token}` } });

describe('auth() verifies the session token without calling Roster', () => {
  it('reads the cookie of the request being rendered: user, session, active organization, role, permissions', async () => {
    const admin = await live.admin('Acme');
    const token = (await admin.client.getToken())!;
    process.env.ROSTER_URL = live.baseUrl;
    requestHeaders.current = new Headers({ cookie: `__session=${token}` });

    const a = await auth();
    const me = await admin.client.getMe();
    expect(a).toMatchObject({
      userId: admin.userId,
      sessionId: me.session.id,
      orgId: admin.organization.id,
      orgSlug: admin.organization.slug,
      orgRole: 'org:admin',
    });
    expect(a.orgPermissions).toContain('org:sys_memberships:manage');
    expect(a.has({ role: 'org:admin' })).toBe(true);
    expect(a.has({ role: 'admin' })).toBe(true);
    expect(a.has({ role: 'basic_member' })).toBe(false);
    expect(a.has({ permission: 'org:sys_memberships:manage' })).toBe(true);
    expect(await a.getToken()).toBe(token);
  });

  it('takes a request (route handlers, middleware) and an Authorization: Bearer token', async () => {
    const { client, userId } = await live.signedIn();
    const token = (await client.getToken())!;
    const options = { rosterUrl: live.baseUrl };
    expect((await auth(cookieRequest('/', token), options)).userId).toBe(userId);
    const bearer = new Request('http://app.test/api', { headers: { authorization: `Bearer ${token}` } });
    expect((await auth(bearer, options)).userId).toBe(userId);
  });

  it('gives a member their role, and no organization to a user without one', async () => {
    const admin = await live.admin('Beta');
    const member = await live.signedIn();
    await admin.organization.inviteMember({ emailAddress: member.email, role: 'basic_member' });
    const [invitation] = (await member.client.getUserInvitations()).data;
    await invitation!.accept();
    await member.client.setActive({ organization: admin.organization.id });

    const a = await authenticateToken(await member.client.getToken(), { rosterUrl: live.baseUrl });
    expect(a).toMatchObject({ userId: member.userId, orgId: admin.organization.id, orgRole: 'org:member' });
    expect(a.orgPermissions).toEqual(['org:sys_memberships:read']);
    expect(a.has({ permission: 'org:sys_memberships:manage' })).toBe(false);
    expect(a.has({ role: 'org:member' })).toBe(true);

    const loner = await live.signedIn();
    const b = await authenticateToken(await loner.client.getToken(), { rosterUrl: live.baseUrl });
    expect(b).toMatchObject({ userId: loner.userId, orgId: null, orgSlug: null, orgRole: null, orgPermissions: null });
    expect(b.has({ role: 'org:member' })).toBe(false);
  });

  it('is signed out for no token, a forged or tampered one, another Roster, another issuer, or an expired one', async () => {
    const { client } = await live.signedIn();
    const token = (await client.getToken())!;
    const options = { rosterUrl: live.baseUrl };
    const signedOut = {
      userId: null,
      sessionId: null,
      orgId: null,
      orgSlug: null,
      orgRole: null,
      orgPermissions: null,
    };

    expect(await auth(new Request('http://app.test/'), options)).toMatchObject(signedOut);
    expect(await authenticateToken('not.a.jwt', options)).toMatchObject(signedOut);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user_someone_else' })).toString('base64url');
    expect(await authenticateToken(`${header}.${forged}.${signature}`, options)).toMatchObject(signedOut);

    // Signed by another Roster (another secret key): its keys are not ours.
    const stranger = await other.signedIn();
    expect(await authenticateToken(await stranger.client.getToken(), options)).toMatchObject(signedOut);
    // Ours, but we expect another issuer.
    expect(await authenticateToken(token, { ...options, issuer: 'https://roster.example.com' })).toMatchObject(
      signedOut,
    );
    await expect(verifySessionToken(token, { ...options, issuer: 'https://roster.example.com' })).rejects.toThrow(
      /iss/,
    );

    // Valid now; two minutes later it has expired (tokens live 60 s).
    expect((await authenticateToken(token, options)).userId).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 120_000 });
    expect(await authenticateToken(token, options)).toMatchObject(signedOut);
    await expect(verifySessionToken(token, options)).rejects.toThrow(/exp/);
  });

  it('checks the origin a token was minted from when authorizedParties is given', async () => {
    const { client } = await live.signedIn(undefined, { origin: 'http://app.test' });
    const token = (await client.getToken())!;
    const options = { rosterUrl: live.baseUrl };
    expect(
      (await authenticateToken(token, { ...options, authorizedParties: ['http://app.test'] })).userId,
    ).not.toBeNull();
    expect((await authenticateToken(token, { ...options, authorizedParties: ['http://evil.test'] })).userId).toBeNull();
  });

  it('says which variable to set when Roster is not configured', async () => {
    await expect(authenticateToken('a.b.c')).rejects.toThrow(/ROSTER_URL/);
  });
});

describe('rosterMiddleware', () => {
  const middleware = () => rosterMiddleware({ rosterUrl: live.baseUrl, publicRoutes: ['/', '/about(.*)'] });

  it('sends signed-out visitors of a protected page to the sign-in page, with where they were going', async () => {
    const res = await middleware()(new NextRequest('http://app.test/dashboard?tab=members'));
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).toBe('/sign-in');
    expect(location.searchParams.get('redirect_url')).toBe('/dashboard?tab=members');
  });

  it('lets everyone through to public routes and the sign-in and sign-up pages', async () => {
    for (const path of ['/', '/about', '/about/team', '/sign-in', '/sign-up/verify']) {
      const res = await middleware()(new NextRequest(`http://app.test${path}`));
      expect([path, res.headers.get('x-middleware-next')]).toEqual([path, '1']);
    }
  });

  it('answers API routes with 401 instead of a redirect', async () => {
    const res = await middleware()(new NextRequest('http://app.test/api/projects'));
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].code).toBe('session_invalid');
  });

  it('lets signed-in users through, and hands the verified auth to afterAuth', async () => {
    const { client, userId } = await live.signedIn();
    const token = (await client.getToken())!;
    expect((await middleware()(cookieRequest('/dashboard', token))).headers.get('x-middleware-next')).toBe('1');

    const seen: (string | null)[] = [];
    const custom = rosterMiddleware({
      rosterUrl: live.baseUrl,
      afterAuth: (a, request) => {
        seen.push(a.userId);
        if (request.nextUrl.pathname === '/admin' && !a.has({ role: 'org:admin' })) {
          return new Response('Admins only', { status: 403 });
        }
        return undefined;
      },
    });
    expect((await custom(cookieRequest('/admin', token))).status).toBe(403);
    expect(seen).toEqual([userId]);
  });
});

describe('auth.protect() lets through only who passes, as Clerk’s', () => {
  const digestOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return String((error as { digest?: unknown }).digest);
    }
    throw new Error('expected auth.protect() to refuse');
  };

  it('hands back the signed-in auth object for a passing check; not-found or the redirect named otherwise', async () => {
    const admin = await live.admin('Protected');
    const member = await live.signedIn();
    const added = await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    expect(added.status).toBe(200);
    await member.client.setActive({ organization: admin.organization.id });
    const options = { rosterUrl: live.baseUrl };
    const as = async (client: typeof admin.client) => cookieRequest('/billing', (await client.getToken())!);

    const passed = await auth.protect(
      { permission: 'org:sys_memberships:manage' },
      { ...options, request: await as(admin.client) },
    );
    expect(passed).toMatchObject({ userId: admin.userId, orgId: admin.organization.id, orgRole: 'org:admin' });
    expect((await auth.protect(undefined, { ...options, request: await as(member.client) })).userId).toBe(
      member.userId,
    );
    expect(
      (await auth.protect((has) => has({ role: 'basic_member' }), { ...options, request: await as(member.client) }))
        .orgRole,
    ).toBe('org:member');

    // A member without the permission: the not-found page, or the redirect asked for.
    const memberRequest = await as(member.client);
    expect(await digestOf(auth.protect({ role: 'org:admin' }, { ...options, request: memberRequest }))).toBe(
      'NEXT_HTTP_ERROR_FALLBACK;404',
    );
    expect(
      await digestOf(
        auth.protect({ role: 'org:admin' }, { ...options, request: memberRequest, unauthorizedUrl: '/no-access' }),
      ),
    ).toMatch(/^NEXT_REDIRECT;replace;\/no-access;/);

    // Signed out (no cookie, or a forged token): the same, with its own redirect.
    const outsider = new NextRequest(new URL('/billing', 'http://app.test'));
    expect(await digestOf(auth.protect(undefined, { ...options, request: outsider }))).toBe(
      'NEXT_HTTP_ERROR_FALLBACK;404',
    );
    expect(
      await digestOf(auth.protect(undefined, { ...options, request: outsider, unauthenticatedUrl: '/sign-in' })),
    ).toMatch(/^NEXT_REDIRECT;replace;\/sign-in;/);
    const forged = cookieRequest('/billing', `${(await admin.client.getToken())!.slice(0, -4)}AAAA`);
    expect(await digestOf(auth.protect(undefined, { ...options, request: forged }))).toBe(
      'NEXT_HTTP_ERROR_FALLBACK;404',
    );
  });
});
