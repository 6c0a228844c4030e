/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { AppError } from '../../domain/errors.js';
import { listAllInvitations } from '../../domain/invitations/invitations.js';
import { listAllMemberships } from '../../domain/memberships/memberships.js';
import { deleteOrganization, getOrganization } from '../../domain/organizations/organizations.js';
import type { Organization } from '../../domain/records.js';
import { displayName, listUsers } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { consoleAction, flashOf, keysetPage, type NoticeText, PAGE_SIZE, Pager, parseCursor } from './keyset.js';
import { ConsolePage, NotFound, Notice } from './layout.js';

const LIST_DONE: Record<string, string> = { deleted: 'Organization deleted, with its memberships and invitations.' };

function OrganizationList(props: {
  c: Context<AppEnv>;
  query: string;
  rows: Organization[];
  next: string | null;
  first: boolean;
  notice: NoticeText;
}) {
  const locale = pageLocale(props.c);
  return (
    <ConsolePage title="Organizations">
      <h1>Organizations</h1>
      <Notice {...props.notice} />
      <form class="filters" method="get" action="/console/organizations">
        <div>
          <label for="f-q">Name, slug or id</label>
          <input id="f-q" name="q" type="search" value={props.query} />
        </div>
        <button type="submit">Search</button>
      </form>
      {props.rows.length === 0 ? (
        <p>No organizations match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((o) => (
              <tr>
                <td>
                  <a href={`/console/organizations/${o.id}`}>{o.name}</a>
                </td>
                <td>{o.slug}</td>
                <td>
                  <DateTime ms={o.createdAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/console/organizations" filters={{ q: props.query }} first={props.first} next={props.next} />
    </ConsolePage>
  );
}

async function showOrganization(c: Context<AppEnv>, id: string, notice: NoticeText, status = 200) {
  const { deps } = c.var;
  let org: Organization;
  try {
    org = await getOrganization(deps.store, id.slice(0, 64));
  } catch (error) {
    if (error instanceof AppError) return c.html(<NotFound what="organization" back="/console/organizations" />, 404);
    throw error;
  }
  const now = deps.now();
  const [members, pending] = await Promise.all([
    listAllMemberships(deps, { orgId: org.id, limit: 100, offset: 0 }),
    listAllInvitations(deps, { orgId: org.id, statuses: ['pending'], limit: 100, offset: 0, now }),
  ]);
  const users = await listUsers(deps, { userIds: members.data.map((m) => m.userId), limit: 100, offset: 0 });
  const userOf = new Map(users.map((u) => [u.id, u]));
  const locale = pageLocale(c);
  return c.html(
    <ConsolePage title={org.name}>
      <p>
        <a href="/console/organizations">← All organizations</a>
      </p>
      <h1>{org.name}</h1>
      <Notice {...notice} />
      <dl>
        <dt>Id</dt>
        <dd>{org.id}</dd>
        <dt>Slug</dt>
        <dd>{org.slug}</dd>
        <dt>Members</dt>
        <dd>{members.totalCount}</dd>
        <dt>Created</dt>
        <dd>
          <DateTime ms={org.createdAt} locale={locale} />
        </dd>
      </dl>
      <p>
        <a href={`/console/audit-log?organization=${org.id}`}>Its audit log</a>
      </p>
      <h2>Members</h2>
      {members.data.length === 0 ? (
        <p>No members.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Email address</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => {
              const user = userOf.get(m.userId);
              return (
                <tr>
                  <td>
                    <a href={`/console/users/${m.userId}`}>{(user && displayName(user)) || m.userId}</a>
                  </td>
                  <td>{user?.emailAddresses[0]?.email ?? 'none'}</td>
                  <td>{m.role}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>Pending invitations</h2>
      {pending.data.length === 0 ? (
        <p>No pending invitations.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Email address</th>
              <th scope="col">Role</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {pending.data.map((inv) => (
              <tr>
                <td>
                  <a href={`/console/invitations/${inv.id}`}>{inv.emailAddress}</a>
                </td>
                <td>{inv.role}</td>
                <td>
                  <DateTime ms={inv.expiresAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Delete</h2>
      <p>Deleting removes its memberships and invitations; it cannot be undone.</p>
      <form method="post" action={`/console/organizations/${org.id}/delete`}>
        <button type="submit" class="danger">
          Delete organization
        </button>
      </form>
    </ConsolePage>,
    status as 200,
  );
}

/** The console's organizations: newest first by keyset pages and searched; one with its members and pending invitations; delete. */
export function registerConsoleOrganizations(app: Hono<AppEnv>): void {
  app.get('/console/organizations', async (c) => {
    const query = (c.req.query('q') ?? '').trim().slice(0, 256);
    const after = parseCursor(c.req.query('after'));
    const rows = await c.var.consoleStore.listOrganizationsAfter({ query, after, limit: PAGE_SIZE + 1 });
    const { page, next } = keysetPage(rows);
    return c.html(
      <OrganizationList
        c={c}
        query={query}
        rows={page}
        next={next}
        first={after === null}
        notice={flashOf(c, LIST_DONE)}
      />,
    );
  });
  app.get('/console/organizations/:id', (c) => showOrganization(c, c.req.param('id'), {}));
  consoleAction(app, '/console/organizations/:id/delete', {
    run: async (c) => {
      await deleteOrganization(c.var.deps, c.var.actor, (c.req.param('id') ?? '').slice(0, 64));
      return '/console/organizations?done=deleted';
    },
    refused: (c, notice, status) => showOrganization(c, c.req.param('id') ?? '', notice, status),
  });
}
