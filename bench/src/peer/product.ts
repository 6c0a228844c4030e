import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { createDatabase, type Dialect, openSql } from '../db.js';
import type { Context, LoadStep } from '../load.js';
import { BENCH, freePort, startServer } from '../processes.js';
import { call, PASSWORD, type Product, randomId } from '../product.js';
import { seedPeerInvitations, seedPeerInvitees, seedPeerOrganization } from './seed.js';

/**
 * The peer: Better Auth + organization plugin (`server.ts` beside this file) in its own process.
 * The admin is signed in with Better Auth's session cookie and sends the Origin a browser would.
 */

export const PEER_SECRET = 'bench-better-auth-secret-0123456789abcdefghij';
const SENDER = 'peer@bench.test';

/** Better Auth's signed session cookie for a raw session token (HMAC-SHA256, base64, URL-encoded). */
export function peerSessionCookie(token: string): string {
  const signature = createHmac('sha256', PEER_SECRET).update(token).digest('base64');
  return `better-auth.session_token=${encodeURIComponent(`${token}.${signature}`)}`;
}

function cookieOf(headers: Record<string, string | string[]>): string | null {
  const raw = headers['set-cookie'] ?? headers['Set-Cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const line of all) {
    const match = /^(better-auth\.session_token=[^;]+)/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

export async function startPeer(options: {
  dialect: Dialect;
  postgresUrl: string;
  smtpUrl: string;
  logDir: string;
}): Promise<Product> {
  const database = await createDatabase(options.dialect, 'peer', options.postgresUrl);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer({
    name: `peer-${options.dialect}`,
    script: join(BENCH, 'src/peer/server.ts'),
    port,
    healthPath: '/api/auth/ok',
    logDir: options.logDir,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SMTP_URL: options.smtpUrl,
      MAIL_FROM: SENDER,
      BETTER_AUTH_SECRET: PEER_SECRET,
    },
  });
  const sql = openSql(database.url);
  const origin = { origin: base };
  const adminEmail = 'admin@bench.test';
  const signUp = await call(`${base}/api/auth/sign-up/email`, {
    headers: origin,
    body: { email: adminEmail, password: PASSWORD, name: 'Ada Admin' },
  });
  const adminId = signUp.json.user.id as string;
  const adminHeaders = { cookie: peerSessionCookie(signUp.json.token as string), ...origin };
  const post = (path: string, body: (c: Context) => unknown): LoadStep => ({
    method: 'POST',
    build: (c) => ({ path, headers: adminHeaders, body: body(c) }),
  });

  return {
    key: 'peer',
    name: 'Better Auth',
    dialect: options.dialect,
    server,
    mailSender: SENDER,
    passwordHash: 'scrypt N=16384 r=16 p=1 (node:crypto, libuv thread pool)',

    async createOrganization(tag) {
      const org = await call(`${base}/api/auth/organization/create`, {
        headers: adminHeaders,
        body: {
          name: `Bench ${tag}`,
          slug: `bench-${tag}-${randomId(4)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, 'x')}`,
        },
      });
      return org.json.id as string;
    },
    seedOrganization: (tag, count) => seedPeerOrganization(sql, { tag, count, adminId }),
    seedInvitations: (orgId, count) => seedPeerInvitations(sql, { orgId, count, inviterId: adminId }),
    seedInvitees: (orgId, count) =>
      seedPeerInvitees(sql, { orgId, count, inviterId: adminId, cookie: peerSessionCookie, origin: base }),
    async countInvitations(orgId) {
      const rows = await sql.all<{ n: number }>('select count(*) as n from "invitation" where "organizationId" = ?', [
        orgId,
      ]);
      return Number(rows[0]?.n ?? 0);
    },

    signUp: (next) => [
      {
        method: 'POST',
        build: () => ({
          path: '/api/auth/sign-up/email',
          headers: origin,
          body: { email: next(), password: PASSWORD, name: 'New User' },
        }),
      },
    ],
    invite: (orgId, next) => [
      post('/api/auth/organization/invite-member', () => ({ email: next(), role: 'member', organizationId: orgId })),
    ],
    // Better Auth has no bulk endpoint: the bulk figure for the peer is one invite-member call per address.
    inviteBulk: () => null,
    listFirstPage: (orgId) => [
      {
        method: 'GET',
        build: () => ({
          path: `/api/auth/organization/list-invitations?organizationId=${orgId}`,
          headers: adminHeaders,
        }),
      },
    ],
    revoke: (_orgId, next) => [post('/api/auth/organization/cancel-invitation', () => ({ invitationId: next().id }))],
    acceptAsNewUser: (next) => [
      {
        method: 'POST',
        build: (c) => {
          const invitation = next();
          c.invitationId = invitation.id;
          return {
            path: '/api/auth/sign-up/email',
            headers: origin,
            body: { email: invitation.email, password: PASSWORD, name: 'Invitee' },
          };
        },
        onResponse: (_status, _body, c, headers) => {
          c.cookie = cookieOf(headers);
        },
      },
      {
        method: 'POST',
        build: (c) => ({
          path: '/api/auth/organization/accept-invitation',
          headers: { ...origin, cookie: String(c.cookie ?? '') },
          body: { invitationId: c.invitationId },
        }),
      },
    ],
    acceptAsExistingUser: (next) => [
      {
        method: 'POST',
        build: () => {
          const invitee = next();
          return {
            path: '/api/auth/organization/accept-invitation',
            headers: invitee.headers,
            body: { invitationId: invitee.id },
          };
        },
      },
    ],

    peakRssMiB: () => server.peakRssMiB(),
    async close() {
      await server.stop();
      await sql.close();
      await database.drop();
    },
  };
}
