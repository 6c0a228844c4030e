/** @jsxImportSource hono/jsx */
import { type InvitationStatus, invitationStatus } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import { normalizeEmail } from '../../domain/crypto.js';
import { AppError } from '../../domain/errors.js';
import {
  effectiveStatus,
  findInvitationById,
  invitationDeliveries,
  listInvitationsAfter,
  revokeInvitation,
} from '../../domain/invitations/invitations.js';
import { resendInvitation } from '../../domain/invitations/resend.js';
import { retryMailNow } from '../../domain/mail.js';
import type { DeliveryState, Invitation } from '../../domain/records.js';
import type { AppEnv } from '../env.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { consoleAction, flashOf, keysetPage, type NoticeText, PAGE_SIZE, Pager, parseCursor } from './keyset.js';
import { ConsolePage, NotFound, Notice } from './layout.js';

const DONE: Record<string, string> = {
  revoked: 'Invitation revoked.',
  resent: 'Invitation mailed again.',
  retried: 'Mail queued again: it is sent now.',
};

interface Filters {
  status: InvitationStatus | '';
  email: string;
  organization: string;
}

function filtersOf(c: Context<AppEnv>): Filters {
  const status = c.req.query('status') ?? '';
  return {
    status: (invitationStatus.options as readonly string[]).includes(status) ? (status as InvitationStatus) : '',
    email: (c.req.query('email') ?? '').trim().slice(0, 320),
    organization: (c.req.query('organization') ?? '').trim().slice(0, 64),
  };
}

function DeliveryText(props: { delivery: DeliveryState | undefined }) {
  const d = props.delivery;
  if (!d) return <>not mailed</>;
  return <>{d.status === 'queued' && d.attempts > 0 ? `retrying (${d.attempts} tries)` : d.status}</>;
}

function InvitationList(props: {
  c: Context<AppEnv>;
  filters: Filters;
  rows: Invitation[];
  delivery: Map<string, DeliveryState>;
  next: string | null;
  first: boolean;
}) {
  const { filters, rows } = props;
  const now = props.c.var.deps.now();
  const locale = pageLocale(props.c);
  return (
    <ConsolePage title="Invitations">
      <h1>Invitations</h1>
      <form class="filters" method="get" action="/console/invitations">
        <div>
          <label for="f-email">Email address</label>
          <input id="f-email" name="email" type="email" value={filters.email} />
        </div>
        <div>
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">Any</option>
            {invitationStatus.options.map((s) => (
              <option value={s} selected={filters.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-org">Organization id</label>
          <input id="f-org" name="organization" value={filters.organization} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {rows.length === 0 ? (
        <p>No invitations match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Email address</th>
              <th scope="col">Organization</th>
              <th scope="col">Status</th>
              <th scope="col">Mail</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((inv) => (
              <tr>
                <td>
                  <a href={`/console/invitations/${inv.id}`}>{inv.emailAddress}</a>
                </td>
                <td>{inv.organizationId}</td>
                <td>{effectiveStatus(inv, now)}</td>
                <td>
                  <DeliveryText delivery={props.delivery.get(inv.id)} />
                </td>
                <td>
                  <DateTime ms={inv.createdAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/console/invitations" filters={{ ...filters }} first={props.first} next={props.next} />
    </ConsolePage>
  );
}

function InvitationView(props: {
  c: Context<AppEnv>;
  invitation: Invitation;
  delivery: DeliveryState | undefined;
  notice: NoticeText;
}) {
  const inv = props.invitation;
  const d = props.delivery;
  const locale = pageLocale(props.c);
  const status = effectiveStatus(inv, props.c.var.deps.now());
  const action = (verb: string) => `/console/invitations/${inv.id}/${verb}`;
  return (
    <ConsolePage title={`Invitation to ${inv.emailAddress}`}>
      <p>
        <a href="/console/invitations">← All invitations</a>
      </p>
      <h1>Invitation to {inv.emailAddress}</h1>
      <Notice {...props.notice} />
      <dl>
        <dt>Id</dt>
        <dd>{inv.id}</dd>
        <dt>Organization</dt>
        <dd>{inv.organizationId}</dd>
        <dt>Role</dt>
        <dd>{inv.role}</dd>
        <dt>Status</dt>
        <dd>{status}</dd>
        <dt>Created</dt>
        <dd>
          <DateTime ms={inv.createdAt} locale={locale} />
        </dd>
        <dt>Expires</dt>
        <dd>
          <DateTime ms={inv.expiresAt} locale={locale} />
        </dd>
      </dl>
      <h2>Mail</h2>
      <dl>
        <dt>Delivery</dt>
        <dd>
          <DeliveryText delivery={d} />
        </dd>
        <dt>Attempts</dt>
        <dd>{d ? d.attempts : 0}</dd>
        <dt>Last error</dt>
        <dd>{d?.lastError ?? 'none'}</dd>
        <dt>Sent</dt>
        <dd>{d?.sentAt ? <DateTime ms={d.sentAt} locale={locale} /> : 'not yet'}</dd>
      </dl>
      {d?.status === 'queued' && d.attempts > 0 && (
        <form method="post" action={action('retry-mail')}>
          <button type="submit">Retry the mail now</button>
        </form>
      )}
      {(status === 'pending' || status === 'expired') && (
        <div class="actions">
          <form method="post" action={action('resend')}>
            <button type="submit">Resend invitation</button>
          </form>
          {status === 'pending' && (
            <form method="post" action={action('revoke')}>
              <button type="submit" class="danger">
                Revoke invitation
              </button>
            </form>
          )}
        </div>
      )}
    </ConsolePage>
  );
}

async function showInvitation(c: Context<AppEnv>, id: string, notice: NoticeText = {}, status = 200) {
  const invitation = await findInvitationById(c.var.deps, id.slice(0, 64));
  if (!invitation) return c.html(<NotFound what="invitation" back="/console/invitations" />, 404);
  const delivery = await invitationDeliveries(c.var.deps, [invitation.id]);
  return c.html(
    <InvitationView c={c} invitation={invitation} delivery={delivery.get(invitation.id)} notice={notice} />,
    status as 200,
  );
}

/** The console's invitations: across the instance, filtered, by keyset pages; one invitation with its mail; revoke, resend, retry its mail. */
export function registerConsoleInvitations(app: Hono<AppEnv>): void {
  app.get('/console/invitations', async (c) => {
    const filters = filtersOf(c);
    const after = parseCursor(c.req.query('after'));
    const { deps } = c.var;
    const rows = await listInvitationsAfter(deps, {
      ...(filters.organization && { orgId: filters.organization }),
      ...(filters.email && { emailNormalized: normalizeEmail(filters.email) }),
      ...(filters.status && { statuses: [filters.status] }),
      after,
      limit: PAGE_SIZE + 1,
      now: deps.now(),
    });
    const { page, next } = keysetPage(rows);
    const delivery = await invitationDeliveries(
      deps,
      page.map((i) => i.id),
    );
    return c.html(
      <InvitationList c={c} filters={filters} rows={page} delivery={delivery} next={next} first={after === null} />,
    );
  });

  app.get('/console/invitations/:id', (c) => showInvitation(c, c.req.param('id'), flashOf(c, DONE)));

  // Each action answers with a redirect to the invitation (303), so reloading it repeats nothing.
  const act = (verb: string, done: string, run: (c: Context<AppEnv>, inv: Invitation) => Promise<unknown>) =>
    consoleAction(app, `/console/invitations/:id/${verb}`, {
      run: async (c) => {
        const invitation = await findInvitationById(c.var.deps, (c.req.param('id') ?? '').slice(0, 64));
        if (!invitation) throw new AppError('resource_not_found');
        await run(c, invitation);
        return `/console/invitations/${invitation.id}?done=${done}`;
      },
      refused: (c, notice, status) => showInvitation(c, c.req.param('id') ?? '', notice, status),
    });
  act('revoke', 'revoked', (c, inv) => revokeInvitation(c.var.deps, c.var.actor, inv.organizationId, inv.id));
  act('resend', 'resent', (c, inv) => resendInvitation(c.var.deps, c.var.actor, inv.organizationId, inv.id));
  act('retry-mail', 'retried', async (c, inv) => {
    await retryMailNow(c.var.deps, { invitationId: inv.id });
  });
}
