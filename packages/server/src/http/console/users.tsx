/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { findInstanceAdmin, setInstanceAdmin } from '../../domain/console/admins.js';
import { AppError } from '../../domain/errors.js';
import { listUserMemberships } from '../../domain/memberships/memberships.js';
import { listOrganizations } from '../../domain/organizations/organizations.js';
import type { UserWithEmails } from '../../domain/records.js';
import { listSessions, revokeOwnSession } from '../../domain/sessions/sessions.js';
import { banUser, lockUser, maySignIn, unbanUser, unlockUser } from '../../domain/users/restrictions.js';
import { displayName, getUser, listUsers } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { EventRows } from './audit.js';
import { consoleAction, flashOf, keysetPage, type NoticeText, PAGE_SIZE, Pager, parseCursor } from './keyset.js';
import { ConsolePage, NotFound, Notice } from './layout.js';

const DONE: Record<string, string> = {
  ban: 'User banned: every session ended and no sign-in succeeds until unbanned.',
  unban: 'Ban lifted.',
  lock: 'User locked: every session ended.',
  unlock: 'Lock lifted.',
  session: 'Session revoked.',
  admin: 'Console access granted: this user can sign in to the console with their own account.',
  unadmin: 'Console access removed.',
};

function stateOf(user: UserWithEmails, now: number): string {
  if (user.banned) return 'banned';
  if (!maySignIn(user, now)) return 'locked';
  return 'active';
}

function UserList(props: {
  c: Context<AppEnv>;
  query: string;
  rows: UserWithEmails[];
  next: string | null;
  first: boolean;
}) {
  const locale = pageLocale(props.c);
  const now = props.c.var.deps.now();
  return (
    <ConsolePage title="Users">
      <h1>Users</h1>
      <form class="filters" method="get" action="/console/users">
        <div>
          <label for="f-q">Email address, name or id</label>
          <input id="f-q" name="q" type="search" value={props.query} />
        </div>
        <button type="submit">Search</button>
      </form>
      {props.rows.length === 0 ? (
        <p>No users match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email address</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((u) => (
              <tr>
                <td>
                  <a href={`/console/users/${u.id}`}>{displayName(u) || u.id}</a>
                </td>
                <td>{u.emailAddresses[0]?.email ?? 'none'}</td>
                <td>{stateOf(u, now)}</td>
                <td>
                  <DateTime ms={u.createdAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/console/users" filters={{ q: props.query }} first={props.first} next={props.next} />
    </ConsolePage>
  );
}

function ActionButton(props: { action: string; label: string; danger?: boolean }) {
  return (
    <form method="post" action={props.action}>
      <button type="submit" class={props.danger ? 'danger' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

async function showUser(c: Context<AppEnv>, id: string, notice: NoticeText, status = 200) {
  const { deps } = c.var;
  let user: UserWithEmails;
  try {
    user = await getUser(deps.store, id.slice(0, 64));
  } catch (error) {
    if (error instanceof AppError) return c.html(<NotFound what="user" back="/console/users" />, 404);
    throw error;
  }
  const now = deps.now();
  const [memberships, sessions, trail] = await Promise.all([
    listUserMemberships(deps, { userId: user.id, limit: 100, offset: 0 }),
    listSessions(deps, { userId: user.id, limit: 100, offset: 0 }),
    c.var.consoleStore.listEventsBefore({ beforeSeq: null, limit: 20, user: user.id }),
  ]);
  const orgs = await listOrganizations(deps, {
    ids: memberships.data.map((m) => m.organizationId),
    limit: 100,
    offset: 0,
  });
  const orgName = new Map(orgs.data.map((o) => [o.id, o.name]));
  const live = sessions.data.filter((s) => s.expiresAt > now);
  const admin = await findInstanceAdmin(deps, user.id);
  const locale = pageLocale(c);
  const base = `/console/users/${user.id}`;
  const state = stateOf(user, now);
  const name = displayName(user) || user.id;
  return c.html(
    <ConsolePage title={name}>
      <p>
        <a href="/console/users">← All users</a>
      </p>
      <h1>{name}</h1>
      <Notice {...notice} />
      <dl>
        <dt>Id</dt>
        <dd>{user.id}</dd>
        <dt>State</dt>
        <dd>{state}</dd>
        {user.lockedUntil !== null && user.lockedUntil > now && (
          <>
            <dt>Locked until</dt>
            <dd>
              <DateTime ms={user.lockedUntil} locale={locale} />
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <DateTime ms={user.createdAt} locale={locale} />
        </dd>
        <dt>Last sign-in</dt>
        <dd>{user.lastSignInAt ? <DateTime ms={user.lastSignInAt} locale={locale} /> : 'never'}</dd>
        <dt>Console access</dt>
        <dd data-testid="console-access">
          {admin ? (
            <>
              instance admin since <DateTime ms={admin.grantedAt} locale={locale} /> (granted by{' '}
              {admin.grantedBy === 'secret_key' ? 'the secret key' : admin.grantedBy})
            </>
          ) : (
            'none'
          )}
        </dd>
      </dl>
      <div class="actions">
        {user.banned ? (
          <ActionButton action={`${base}/unban`} label="Unban user" />
        ) : (
          <ActionButton action={`${base}/ban`} label="Ban user" danger />
        )}
        {state === 'locked' && !user.banned ? (
          <ActionButton action={`${base}/unlock`} label="Unlock user" />
        ) : (
          !user.banned && <ActionButton action={`${base}/lock`} label="Lock user" danger />
        )}
        {admin ? (
          <ActionButton action={`${base}/console-access/remove`} label="Remove console access" danger />
        ) : (
          <ActionButton action={`${base}/console-access/grant`} label="Make instance admin" />
        )}
      </div>
      <h2>Email addresses</h2>
      <ul>
        {user.emailAddresses.map((e, i) => (
          <li>
            {e.email} ({e.verified ? 'verified' : 'unverified'}
            {i === 0 ? ', primary' : ''})
          </li>
        ))}
      </ul>
      <h2>Memberships</h2>
      {memberships.data.length === 0 ? (
        <p>No memberships.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Organization</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {memberships.data.map((m) => (
              <tr>
                <td>
                  <a href={`/console/organizations/${m.organizationId}`}>
                    {orgName.get(m.organizationId) ?? m.organizationId}
                  </a>
                </td>
                <td>{m.role}</td>
                <td>
                  <DateTime ms={m.createdAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Sessions</h2>
      {live.length === 0 ? (
        <p>No active sessions.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Device</th>
              <th scope="col">Last active</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {live.map((s) => (
              <tr>
                <td>{s.id}</td>
                <td>{[s.userAgent, s.clientIp].filter(Boolean).join(' · ') || 'unknown'}</td>
                <td>
                  <DateTime ms={s.lastActiveAt} locale={locale} />
                </td>
                <td>
                  <ActionButton action={`${base}/sessions/${s.id}/revoke`} label="Revoke" danger />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Audit trail</h2>
      <EventRows c={c} rows={trail.map((r) => r.event)} />
      <p>
        <a href={`/console/audit-log?user=${user.id}`}>The whole trail</a>
      </p>
    </ConsolePage>,
    status as 200,
  );
}

/** The console's users: the instance's, newest first by keyset pages and searched; one user with what they hold; ban, lock, revoke. */
export function registerConsoleUsers(app: Hono<AppEnv>): void {
  app.get('/console/users', async (c) => {
    const query = (c.req.query('q') ?? '').trim().slice(0, 320);
    const after = parseCursor(c.req.query('after'));
    const ids = await c.var.consoleStore.listUsersAfter({ query, after, limit: PAGE_SIZE + 1 });
    const rows = ids.length ? await listUsers(c.var.deps, { userIds: ids, limit: ids.length, offset: 0 }) : [];
    const { page, next } = keysetPage(rows);
    return c.html(<UserList c={c} query={query} rows={page} next={next} first={after === null} />);
  });
  app.get('/console/users/:id', (c) => showUser(c, c.req.param('id'), flashOf(c, DONE)));

  const refused = (c: Context<AppEnv>, notice: NoticeText, status: number) =>
    showUser(c, c.req.param('id') ?? '', notice, status);
  const restrictions = { ban: banUser, unban: unbanUser, lock: lockUser, unlock: unlockUser };
  for (const [verb, run] of Object.entries(restrictions)) {
    consoleAction(app, `/console/users/:id/${verb}`, {
      run: async (c) => {
        const user = await run(c.var.deps, c.req.param('id')?.slice(0, 64) ?? '');
        return `/console/users/${user.id}?done=${verb}`;
      },
      refused,
    });
  }
  for (const [verb, admin] of [
    ['grant', true],
    ['remove', false],
  ] as const) {
    consoleAction(app, `/console/users/:id/console-access/${verb}`, {
      run: async (c) => {
        const userId = (c.req.param('id') ?? '').slice(0, 64);
        await setInstanceAdmin(c.var.deps, c.var.actor, { userId, admin });
        return `/console/users/${userId}?done=${admin ? 'admin' : 'unadmin'}`;
      },
      refused,
    });
  }
  consoleAction(app, '/console/users/:id/sessions/:session/revoke', {
    run: async (c) => {
      const userId = (c.req.param('id') ?? '').slice(0, 64);
      await revokeOwnSession(c.var.deps, userId, (c.req.param('session') ?? '').slice(0, 64));
      return `/console/users/${userId}?done=session`;
    },
    refused,
  });
}
