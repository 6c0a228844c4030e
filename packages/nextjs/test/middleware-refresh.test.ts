import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LiveServer, startLiveServer } from '../../react/test/support.js';
import { freePort } from '../../server/test/support/processes.js';
import { authenticateToken, rosterMiddleware } from '../src/server.js';

vi.mock('next/headers', () => ({ headers: async () => new Headers() }));

/**
 * Decision 024: a visitor whose 60-second token expired, but whose browser still sends Roster's
 * session cookie, goes straight through the middleware with a fresh token instead of bouncing
 * through the sign-in page. A real Roster (child process) mints the tokens.
 */

let live: LiveServer;
/** A host that is not Roster, recording whatever reaches it. */
let attacker: Server;
const attackerSaw: IncomingMessage[] = [];
beforeAll(async () => {
  live = await startLiveServer();
  attacker = createServer((req, res) => {
    attackerSaw.push(req);
    res.end('{}');
  });
  await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
});
afterAll(async () => {
  await live?.close();
  await new Promise((done) => attacker?.close(done));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const middleware = (options = {}) =>
  rosterMiddleware({ rosterUrl: live.baseUrl, publicRoutes: ['/', '/about(.*)'], ...options });

/** A browser's request with Roster's session cookie (shared host) and, maybe, an expired or bad `__session`. */
const visit = (url: string, rosterSession: string, extra: Record<string, string> = {}) =>
  new NextRequest(new URL(url, 'http://app.test'), {
    headers: { cookie: `theme=dark; __roster_session=${rosterSession}`, ...extra },
  });

/** The `__session` cookie the response sets, with its attributes. */
function tokenCookie(res: Response): { token: string; attributes: string[] } | null {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('__session='));
  if (!set) return null;
  const [pair, ...attributes] = set.split(';').map((p) => p.trim());
  return { token: decodeURIComponent(pair!.slice('__session='.length)), attributes };
}

/** Calls the middleware, counting the requests it makes to Roster's token endpoint. */
async function run(handler: (r: NextRequest) => Promise<Response>, request: NextRequest) {
  const spy = vi.spyOn(globalThis, 'fetch');
  const res = await handler(request);
  const mints = spy.mock.calls.filter(([input]) => String(input).includes('/tokens')).map(([input]) => String(input));
  spy.mockRestore();
  return { res, mints };
}

describe('rosterMiddleware refreshes an expired token from the Roster session', () => {
  it('lets the visitor through with a fresh token: one request to Roster, the cookie set, the render sees it', async () => {
    const { client, userId } = await live.signedIn();
    const seen: (string | null)[] = [];
    const handler = middleware({ afterAuth: (a: { userId: string | null }) => void seen.push(a.userId) });

    const { res, mints } = await run(handler, visit('/dashboard?tab=members', client.sessionToken!));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-middleware-next')).toBe('1');
    expect(res.headers.get('location')).toBeNull();
    expect(mints).toEqual([`${live.baseUrl}/fapi/v1/client/sessions/current/tokens`]);
    expect(seen).toEqual([userId]);

    // The cookie the provider would have written: short-lived, Lax, the page may overwrite it, never cached.
    const cookie = tokenCookie(res)!;
    expect((await authenticateToken(cookie.token, { rosterUrl: live.baseUrl })).userId).toBe(userId);
    const maxAge = Number(cookie.attributes.find((a) => a.startsWith('Max-Age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(60);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Path=/', 'SameSite=Lax']));
    expect(cookie.attributes.some((a) => /httponly|secure/i.test(a))).toBe(false);
    expect(res.headers.get('cache-control')).toBe('private, no-store');

    // The server components behind the middleware read the new token; the app's other cookies stay.
    const forwarded = res.headers.get('x-middleware-request-cookie')!;
    expect(forwarded).toContain('theme=dark');
    expect(forwarded).toContain(`__session=${cookie.token}`);
  });

  it('replaces an expired or forged __session, marks the cookie Secure on https, and refreshes API routes too', async () => {
    const { client, userId } = await live.signedIn();
    const old = (await client.getToken())!;
    const [header, , signature] = old.split('.');
    const forged = `${header}.${Buffer.from('{"sub":"user_x","sid":"sess_x"}').toString('base64url')}.${signature}`;
    const session = client.sessionToken!;

    const page = await middleware()(
      new NextRequest('https://app.test/dashboard', {
        headers: { cookie: `__session=${forged}; __roster_session=${session}` },
      }),
    );
    expect(page.headers.get('x-middleware-next')).toBe('1');
    expect(tokenCookie(page)!.attributes).toContain('Secure');
    const forwarded = page.headers.get('x-middleware-request-cookie')!;
    expect(forwarded).not.toContain(forged);
    expect(forwarded.match(/__session=/g)).toHaveLength(1);

    const api = await middleware()(visit('/api/projects', session));
    expect(api.headers.get('x-middleware-next')).toBe('1');
    expect((await authenticateToken(tokenCookie(api)!.token, { rosterUrl: live.baseUrl })).userId).toBe(userId);
  });

  it("adds the cookie to afterAuth's own response", async () => {
    const { client, userId } = await live.signedIn();
    const handler = middleware({
      afterAuth: (a: { userId: string | null }) => (a.userId ? Response.json({ userId: a.userId }) : undefined),
    });
    const res = await handler(visit('/dashboard', client.sessionToken!));
    expect(await res.json()).toEqual({ userId });
    expect((await authenticateToken(tokenCookie(res)!.token, { rosterUrl: live.baseUrl })).userId).toBe(userId);
  });

  it('asks only the configured Roster, whatever host the request names', async () => {
    const { client, userId } = await live.signedIn();
    const port = (attacker.address() as AddressInfo).port;
    const request = new NextRequest(`http://127.0.0.1:${port}/dashboard`, {
      headers: {
        cookie: `__roster_session=${client.sessionToken!}`,
        host: `127.0.0.1:${port}`,
        'x-forwarded-host': `127.0.0.1:${port}`,
      },
    });
    const { res, mints } = await run(middleware(), request);
    expect(mints).toEqual([`${live.baseUrl}/fapi/v1/client/sessions/current/tokens`]);
    expect((await authenticateToken(tokenCookie(res)!.token, { rosterUrl: live.baseUrl })).userId).toBe(userId);
    expect(attackerSaw).toHaveLength(0);
  });

  it('falls back to the sign-in page where refreshing is impossible: no Roster cookie, an ended session, Roster down, or turned off', async () => {
    const bounced = (res: Response) => {
      expect(res.status).toBe(307);
      expect(new URL(res.headers.get('location')!).pathname).toBe('/sign-in');
      expect(tokenCookie(res)).toBeNull();
    };
    // No Roster cookie: nothing to ask Roster with, and nothing is asked.
    const none = await run(middleware(), new NextRequest('http://app.test/dashboard'));
    bounced(none.res);
    expect(none.mints).toEqual([]);

    // A session that has ended (signed out elsewhere).
    const { client } = await live.signedIn();
    const ended = client.sessionToken!;
    await client.signOut();
    bounced(await middleware()(visit('/dashboard', ended)));
    bounced(await middleware()(visit('/dashboard', 'not-a-session')));

    // Roster unreachable: a closed port answers nothing (a warning, and the usual bounce).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { client: other } = await live.signedIn();
    const down = rosterMiddleware({ rosterUrl: `http://127.0.0.1:${await freePort()}` });
    bounced(await down(visit('/dashboard', other.sessionToken!)));
    expect(warn.mock.calls.join(' ')).toMatch(/refreshing the session token/);
    expect(warn.mock.calls.join(' ')).not.toContain(other.sessionToken!);

    // Turned off.
    bounced(await middleware({ refreshFromSession: false })(visit('/dashboard', other.sessionToken!)));
  });

  it('answers a Bearer caller for its own token only, and lets a valid token through without asking Roster', async () => {
    const { client } = await live.signedIn();
    const withBearer = visit('/api/projects', client.sessionToken!, { authorization: 'Bearer a.b.c' });
    const bearer = await run(middleware(), withBearer);
    expect(bearer.res.status).toBe(401);
    expect(bearer.mints).toEqual([]);

    const token = (await client.getToken())!;
    const fresh = await run(
      middleware(),
      new NextRequest('http://app.test/dashboard', {
        headers: { cookie: `__session=${token}; __roster_session=${client.sessionToken!}` },
      }),
    );
    expect(fresh.res.headers.get('x-middleware-next')).toBe('1');
    expect(fresh.mints).toEqual([]);
    expect(tokenCookie(fresh.res)).toBeNull();
  });
});
