/**
 * The storage ceiling: what creating an invitation costs the database alone, run in a tight loop
 * with the drivers Roster uses (better-sqlite3; pg with a pool of 10, 32 workers) on Roster's own
 * schema (its migrations), no HTTP and no framework.
 *
 * MODE=writes  the writes an invitation makes in an organization without a membership limit: the
 *              invitation and outbox INSERTs (and the count the trigger keeps), in a transaction on
 *              SQLite, as one statement on PostgreSQL (as Roster does, decision 014).
 * MODE=all     every statement Roster issues for one Frontend API create there (session with user and
 *              addresses, organization with membership, the address's blockers, the writes):
 *              Roster's queries with zero JavaScript around them.
 * LOCK=1       adds what an organization with a limit costs: the organization's row lock
 *              (PostgreSQL) and, in MODE=all, the member and pending-invitation counts.
 *
 * As in the benchmark's create rows, each organization takes ORG_SIZE invitations, then the next
 * one is used (Roster's quota check counts an organization's pending invitations).
 *
 * Env: DATABASE_URL, MODE, SECONDS, CONCURRENCY, ORG_SIZE. Prints one JSON line.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_PRAGMAS } from '../db.js';
import { ROOT } from '../processes.js';

const url = process.env.DATABASE_URL!;
const mode = process.env.MODE === 'all' ? 'all' : 'writes';
const seconds = Number(process.env.SECONDS ?? 3);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const orgSize = Number(process.env.ORG_SIZE ?? 4000);
const limited = process.env.LOCK === '1';
const postgres = /^postgres/.test(url);

const { openDatabase } = await import(join(ROOT, 'packages/server/src/storage/database.ts'));
const { migrate } = await import(join(ROOT, 'packages/server/src/storage/migrations.ts'));
const handle = openDatabase(url);
await migrate(handle.db, handle.dialect);
await handle.close();

const now = Date.now();
const ORGS = Array.from({ length: 50 }, (_, k) => `org_ceiling${k}`);
const orgOf = (i: number) => ORGS[Math.floor(i / orgSize) % ORGS.length]!;
const USER = 'user_ceiling';
const TOKEN_HASH = 'f'.repeat(64);
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

// Columns named: later migrations add columns (with defaults) that these rows need not fill.
const SEED = [
  `insert into users (id, first_name, last_name, password_hash, public_metadata, private_metadata, created_at, updated_at, last_sign_in_at)
    values ('${USER}', 'Ada', 'Admin', null, '{}', '{}', ${now}, ${now}, null)`,
  `insert into email_addresses (id, user_id, email, email_normalized, verified, verification_strategy, created_at, updated_at)
    values ('idn_ceiling', '${USER}', 'admin@bench.test', 'admin@bench.test', 1, 'email_code', ${now}, ${now})`,
  `insert into sessions (id, user_id, token_hash, active_organization_id, created_at, expires_at, last_active_at)
    values ('sess_ceiling', '${USER}', '${TOKEN_HASH}', null, ${now}, ${now + 86_400_000}, ${now})`,
  ...ORGS.flatMap((org) => [
    `insert into organizations (id, name, slug, max_allowed_memberships, admin_delete_enabled, created_by, public_metadata, private_metadata, created_at, updated_at)
      values ('${org}', 'Ceiling', '${org}', 0, 1, '${USER}', '{}', '{}', ${now}, ${now})`,
    `insert into memberships (id, organization_id, user_id, role, public_metadata, private_metadata, created_at, updated_at)
      values ('mem_${org}', '${org}', '${USER}', 'org:admin', '{}', '{}', ${now}, ${now})`,
  ]),
];

const EMAILS_SQLITE = `(select json_group_array(json(o)) from (select json_object('id', e.id, 'email', e.email,
  'verified', e.verified, 'created_at', e.created_at) as o from email_addresses e where e.user_id = users.id order by e.created_at))`;
const EMAILS_POSTGRES = `coalesce((select json_agg(json_build_object('id', e.id, 'email', e.email, 'verified', e.verified,
  'created_at', e.created_at) order by e.created_at) from email_addresses e where e.user_id = users.id), '[]'::json)`;

const INVITATION_COLUMNS = `(id, organization_id, email_address, email_normalized, role, status, inviter_id, token_hash,
  public_metadata, private_metadata, redirect_url, notify, expires_at, created_at, updated_at, accepted_user_id)`;
const OUTBOX_COLUMNS = `(id, kind, to_address, payload, invitation_id, message_id, status, attempts, next_attempt_at,
  locked_until, locked_by, last_error, created_at, sent_at)`;

// Roster's statements for a Frontend API create today (storage/kysely-store.ts), in the same shapes.
const S = {
  session: `select sessions.*, users.first_name, users.last_name, users.password_hash, users.public_metadata,
    users.private_metadata, users.created_at as u_created_at, users.updated_at as u_updated_at, users.last_sign_in_at,
    ${postgres ? EMAILS_POSTGRES : EMAILS_SQLITE} as emails
    from sessions inner join users on users.id = sessions.user_id where sessions.token_hash = ?`,
  orgMembership: `select organizations.*, memberships.id as m_id, memberships.role as m_role from organizations
    left join memberships on memberships.organization_id = organizations.id and memberships.user_id = ?
    where (organizations.id = ? or organizations.slug = ?)`,
  lock: 'select id from organizations where id = ? for update',
  blockers: `select invitations.*, exists (select 1 from email_addresses inner join memberships
    on memberships.user_id = email_addresses.user_id where email_addresses.email_normalized = ?
    and memberships.organization_id = ?) as is_member from (select 1 as one) as probe left join invitations
    on invitations.organization_id = ? and invitations.email_normalized = ? and invitations.status = 'pending'`,
  members:
    "select organization_id, count(*) as n, sum(case when role = 'org:admin' then 1 else 0 end) as admins from memberships where organization_id in (?) group by organization_id",
  counts:
    'select organization_id, status, sum(n) as n from invitation_counts where organization_id in (?) group by organization_id, status',
  unswept:
    "select organization_id, count(*) as n from invitations where status = 'pending' and expires_at <= ? and organization_id in (?) group by organization_id",
  insertInvitation: `insert into invitations ${INVITATION_COLUMNS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertOutbox: `insert into outbox ${OUTBOX_COLUMNS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // PostgreSQL, no seat limit: both rows in one statement, no transaction of its own.
  insertBoth: `with invitation as (insert into invitations ${INVITATION_COLUMNS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) insert into outbox ${OUTBOX_COLUMNS} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
};

function invitation(i: number) {
  const t = Date.now();
  const email = `ceiling-${i}@example.com`;
  const id = `orginv_ceiling${i}`;
  const org = orgOf(i);
  return {
    id,
    email,
    org,
    row: [
      id,
      org,
      email,
      email,
      'org:member',
      'pending',
      USER,
      sha(`t${i}`),
      '{}',
      '{}',
      null,
      1,
      t + 86_400_000,
      t,
      t,
      null,
    ],
    outbox: [
      `msg_ceiling${i}`,
      'organization_invitation',
      email,
      '{"url":"sealed"}',
      id,
      `<${id}@roster>`,
      'queued',
      0,
      t,
      null,
      null,
      null,
      t,
      null,
    ],
  };
}

let done = 0;
const started = performance.now();
const deadline = started + seconds * 1000;

if (!postgres) {
  const db = new SqliteDatabase(url.replace(/^file:/, ''));
  for (const p of SQLITE_PRAGMAS) db.pragma(p);
  for (const s of SEED) db.exec(s);
  const q = Object.fromEntries(
    Object.entries(S)
      .filter(([k]) => k !== 'lock' && k !== 'insertBoth') // PostgreSQL only
      .map(([k, v]) => [k, db.prepare(v)]),
  );
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');
  let i = 0;
  while (performance.now() < deadline) {
    for (let k = 0; k < 50; k++, i++) {
      const inv = invitation(i);
      const t = Date.now();
      if (mode === 'all') {
        q.session!.get(TOKEN_HASH);
        q.orgMembership!.get(USER, inv.org, inv.org);
        q.blockers!.get(inv.email, inv.org, inv.org, inv.email);
      }
      begin.run();
      if (mode === 'all' && limited) {
        q.members!.all(inv.org);
        q.counts!.all(inv.org);
        q.unswept!.all(t, inv.org);
      }
      q.insertInvitation!.run(...inv.row);
      q.insertOutbox!.run(...inv.outbox);
      commit.run();
      done++;
    }
  }
  db.close();
} else {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  for (const s of SEED) await pool.query(s);
  const n = (sql: string) => {
    let k = 0;
    return sql.replace(/\?/g, () => `$${++k}`);
  };
  const P = Object.fromEntries(Object.entries(S).map(([k, v]) => [k, n(v)])) as Record<keyof typeof S, string>;
  let i = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const inv = invitation(i++);
      const t = Date.now();
      if (mode === 'all') {
        await pool.query(P.session, [TOKEN_HASH]);
        await pool.query(P.orgMembership, [USER, inv.org, inv.org]);
        if (!limited) await pool.query(P.blockers, [inv.email, inv.org, inv.org, inv.email]);
      }
      if (!limited) {
        await pool.query(P.insertBoth, [...inv.row, ...inv.outbox]);
      } else {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query(P.lock, [inv.org]);
          if (mode === 'all') {
            await client.query(P.blockers, [inv.email, inv.org, inv.org, inv.email]);
            await client.query(P.members, [inv.org]);
            await client.query(P.counts, [inv.org]);
            await client.query(P.unswept, [t, inv.org]);
          }
          await client.query(P.insertInvitation, inv.row);
          await client.query(P.insertOutbox, inv.outbox);
          await client.query('commit');
        } finally {
          client.release();
        }
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.end();
}

const elapsed = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    mode,
    dialect: postgres ? 'postgres' : 'sqlite',
    transactions: done,
    seconds: elapsed,
    perSecond: done / elapsed,
  }),
);
