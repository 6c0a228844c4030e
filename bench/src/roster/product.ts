import { join } from 'node:path';
import { createDatabase, type Dialect, openSql, type SqlHandle } from '../db.js';
import type { LoadStep } from '../load.js';
import { freePort, ROOT, startServer } from '../processes.js';
import { call, PASSWORD, type Product, randomId, type SeededInvitation } from '../product.js';
import { seedRosterInvitations, seedRosterInvitees, seedRosterOrganization } from './seed.js';

/**
 * Roster as an operator runs it: `packages/server/src/main.ts` (what `npm start` runs), production
 * mode, rate limits off, mail through SMTP to the bench's sink, default log level (one access-log
 * line per request, to a file). The admin uses the Frontend API with a session cookie, as a browser.
 */

export const ROSTER_SECRET = 'sk_test_roster_bench_0123456789abcdefghij';
const SENDER = 'roster@bench.test';

export interface RosterStartOptions {
  dialect: Dialect;
  postgresUrl: string;
  smtpUrl: string;
  logDir: string;
  cpuProfDir?: string | null;
  /** Another checkout's server folder (a patched copy) instead of this repository's. */
  serverDir?: string;
  env?: Record<string, string>;
}

/** Roster, with what only its own rows (webhooks, session tokens) need besides the shared `Product`. */
export interface RosterProduct extends Product {
  /** Roster's database, for direct inserts and checks. */
  sql: SqlHandle;
  /** A Backend API call with the secret key; answers the JSON body. */
  backend(path: string, init?: { method?: string; body?: unknown }): Promise<any>;
  /** Makes `orgId` the admin session's active organization (its tokens then carry the org claims). */
  activateOrganization(orgId: string): Promise<void>;
  /** `POST /fapi/v1/client/sessions/{id}/tokens` for the signed-in admin (what Clerk's clerk-js calls). */
  refreshToken(): LoadStep[];
}

export async function startRoster(options: RosterStartOptions): Promise<RosterProduct> {
  const database = await createDatabase(options.dialect, 'roster', options.postgresUrl);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const serverDir = options.serverDir ?? join(ROOT, 'packages/server');
  const server = await startServer({
    name: `roster-${options.dialect}`,
    script: join(serverDir, 'src/main.ts'),
    tsconfig: join(serverDir, 'tsconfig.json'),
    port,
    healthPath: '/healthz',
    logDir: options.logDir,
    cpuProfDir: options.cpuProfDir ?? null,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      ROSTER_DATA_DIR: join(options.logDir, 'roster-data'),
      ROSTER_SECRET_KEY: ROSTER_SECRET,
      ROSTER_PUBLIC_URL: publicUrl,
      SMTP_URL: options.smtpUrl,
      ROSTER_MAIL_FROM: `Roster <${SENDER}>`,
      ROSTER_RATE_LIMITS: 'false',
      LOG_LEVEL: 'info',
      // The webhook rows' receiver listens on 127.0.0.1, which the SSRF guard refuses otherwise.
      ROSTER_WEBHOOK_ALLOW_PRIVATE: 'true',
      ...options.env,
    },
  });
  const sql = openSql(database.url);
  const secret = { authorization: `Bearer ${ROSTER_SECRET}` };
  const adminEmail = 'admin@bench.test';
  const admin = await call(`${publicUrl}/v1/users`, {
    headers: secret,
    body: { email_address: [adminEmail], password: PASSWORD, first_name: 'Ada', last_name: 'Admin' },
  });
  const adminId = admin.json.id as string;
  const signIn = await call(`${publicUrl}/fapi/v1/client/sign_ins`, {
    headers: { origin: publicUrl },
    body: { identifier: adminEmail, password: PASSWORD },
  });
  const adminHeaders = {
    cookie: `__roster_session=${signIn.headers.get('x-roster-session-token')}`,
    origin: publicUrl,
  };
  const me = await call(`${publicUrl}/fapi/v1/me`, { headers: adminHeaders });
  const sessionId = me.json.session.id as string;
  const post = (path: (c: Record<string, unknown>) => string, body: (c: Record<string, unknown>) => unknown) =>
    ({
      method: 'POST',
      build: (c) => ({ path: path(c), headers: adminHeaders, body: body(c) }),
    }) satisfies LoadStep;

  return {
    key: 'roster',
    name: 'Roster',
    dialect: options.dialect,
    server,
    mailSender: SENDER,
    passwordHash: 'argon2id m=19 MiB t=2 p=1 (@node-rs/argon2, native, off the event loop)',

    async createOrganization(tag) {
      const org = await call(`${publicUrl}/v1/organizations`, {
        headers: secret,
        body: {
          name: `Bench ${tag}`,
          slug: `bench-${tag}-${randomId(4)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, 'x')}`,
          created_by: adminId,
        },
      });
      return org.json.id as string;
    },
    seedOrganization: (tag, count) => seedRosterOrganization(sql, { tag, count, adminId }),
    seedInvitations: (orgId, count) => seedRosterInvitations(sql, { orgId, count, inviterId: adminId }),
    seedInvitees: (orgId, count) => seedRosterInvitees(sql, { orgId, count, inviterId: adminId, origin: publicUrl }),
    async countInvitations(orgId) {
      const rows = await sql.all<{ n: number }>('select count(*) as n from invitations where organization_id = ?', [
        orgId,
      ]);
      return Number(rows[0]?.n ?? 0);
    },

    signUp: (next) => [
      {
        method: 'POST',
        build: () => ({
          path: '/fapi/v1/client/sign_ups',
          headers: { origin: publicUrl },
          body: { email_address: next(), password: PASSWORD, first_name: 'New' },
        }),
      },
    ],
    invite: (orgId, next) => [
      post(
        () => `/fapi/v1/organizations/${orgId}/invitations`,
        () => ({ email_address: next(), role: 'org:member' }),
      ),
    ],
    inviteBulk: (orgId, next) => [
      post(
        () => `/fapi/v1/organizations/${orgId}/invitations/bulk`,
        () => ({ email_address: next(), role: 'org:member' }),
      ),
    ],
    listFirstPage: (orgId) => [
      {
        method: 'GET',
        build: () => ({
          path: `/fapi/v1/organizations/${orgId}/invitations?status=pending&limit=20&offset=0`,
          headers: adminHeaders,
        }),
      },
    ],
    revoke: (orgId, next) => [
      post(
        () => `/fapi/v1/organizations/${orgId}/invitations/${next().id}/revoke`,
        () => ({}),
      ),
    ],
    acceptAsNewUser: (next: () => SeededInvitation) => [
      {
        method: 'POST',
        build: () => ({
          path: '/fapi/v1/tickets/sign_up',
          headers: { origin: publicUrl },
          body: { ticket: next().ticket, password: PASSWORD, first_name: 'Invitee' },
        }),
      },
    ],
    acceptAsExistingUser: (next) => [
      {
        method: 'POST',
        build: () => {
          const invitee = next();
          return { path: '/fapi/v1/tickets/accept', headers: invitee.headers, body: { ticket: invitee.ticket } };
        },
      },
    ],

    sql,
    backend: async (path, init = {}) => (await call(`${publicUrl}${path}`, { headers: secret, ...init })).json,
    async activateOrganization(orgId) {
      await call(`${publicUrl}/fapi/v1/me/active_organization`, {
        headers: adminHeaders,
        body: { organization_id: orgId },
      });
    },
    refreshToken: () => [
      post(
        () => `/fapi/v1/client/sessions/${sessionId}/tokens`,
        () => ({}),
      ),
    ],

    peakRssMiB: () => server.peakRssMiB(),
    async close() {
      await server.stop();
      await sql.close();
      await database.drop();
    },
  };
}
