/** @jsxImportSource hono/jsx */
import { WEBHOOK_EVENT_TYPES } from '@roster/protocol';
import type { Context, Hono } from 'hono';
import type { DomainEvent, EventType } from '../../domain/events/events.js';
import type { AppEnv } from '../env.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { PAGE_SIZE, queryOf } from './keyset.js';
import { ConsolePage } from './layout.js';

/** Where an event's subject lives in the console (from its payload, the object's Backend API JSON); null: nowhere (gone). */
function subjectOf(event: DomainEvent): { href: string | null; label: string } {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(event.payload) as Record<string, unknown>;
  } catch {
    return { href: null, label: 'unknown' };
  }
  const id = typeof data.id === 'string' ? data.id : '';
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (data.deleted === true) return { href: null, label: `${str(data.object)} ${id} (deleted)` };
  switch (data.object) {
    case 'user':
      return { href: `/console/users/${id}`, label: `user ${id}` };
    case 'organization':
      return { href: `/console/organizations/${id}`, label: `organization ${str(data.name) || id}` };
    case 'organization_invitation':
      return { href: `/console/invitations/${id}`, label: `invitation to ${str(data.email_address) || id}` };
    case 'organization_membership': {
      const org = (data.organization ?? {}) as Record<string, unknown>;
      const user = (data.public_user_data ?? {}) as Record<string, unknown>;
      return {
        href: `/console/users/${str(user.user_id)}`,
        label: `membership ${id} in ${str(org.name) || str(org.id)}`,
      };
    }
    case 'session':
      return { href: `/console/users/${str(data.user_id)}`, label: `session ${id}` };
    case 'email': {
      const to = str(data.to_email_address);
      const fate =
        data.status === 'retrying'
          ? `retrying: ${str(data.error)}`
          : data.status === 'failed'
            ? `failed: ${str(data.error)}`
            : 'delivered';
      const invitation = str(data.invitation_id);
      return {
        href: invitation.startsWith('orginv_') ? `/console/invitations/${invitation}` : null,
        label: `mail to ${to} (${fate})`,
      };
    }
    default:
      return { href: null, label: `${str(data.object)} ${id}` };
  }
}

function ActorText(props: { actor: string }) {
  if (props.actor === 'secret_key' || props.actor === 'system') return <>{props.actor.replace('_', ' ')}</>;
  return <a href={`/console/users/${props.actor}`}>{props.actor}</a>;
}

/** Events as a table: when, what, who, about what (linked), from where. */
export function EventRows(props: { c: Context<AppEnv>; rows: DomainEvent[] }) {
  const locale = pageLocale(props.c);
  if (props.rows.length === 0) return <p>No events match.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Actor</th>
          <th scope="col">Subject</th>
          <th scope="col">IP address</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((e) => {
          const subject = subjectOf(e);
          return (
            <tr>
              <td>
                <DateTime ms={e.createdAt} locale={locale} />
              </td>
              <td>{e.type}</td>
              <td>
                <ActorText actor={e.actor} />
              </td>
              <td>{subject.href ? <a href={subject.href}>{subject.label}</a> : subject.label}</td>
              <td>{e.ip ?? 'none'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface AuditFilters {
  actor: string;
  organization: string;
  user: string;
  type: EventType | '';
  from: string;
  to: string;
  [key: string]: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersOf(c: Context<AppEnv>): AuditFilters {
  const q = (name: string, max = 64) => (c.req.query(name) ?? '').trim().slice(0, max);
  const type = q('type');
  const day = (name: string) => (DAY.test(q(name, 10)) && !Number.isNaN(Date.parse(q(name, 10))) ? q(name, 10) : '');
  return {
    actor: q('actor'),
    organization: q('organization'),
    user: q('user'),
    type: (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : '',
    from: day('from'),
    to: day('to'),
  };
}

function Field(props: { id: string; name: string; label: string; value: string; type?: string }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.name} type={props.type ?? 'text'} value={props.value} />
    </div>
  );
}

/** The console's audit log: the event stream newest first, by keyset pages (seq), filtered; each entry links to its subject. */
export function registerConsoleAuditLog(app: Hono<AppEnv>): void {
  app.get('/console/audit-log', async (c) => {
    const f = filtersOf(c);
    const before = /^\d{1,15}$/.test(c.req.query('before') ?? '') ? Number(c.req.query('before')) : null;
    const rows = await c.var.consoleStore.listEventsBefore({
      beforeSeq: before,
      limit: PAGE_SIZE + 1,
      ...(f.actor && { actor: f.actor }),
      ...(f.organization && { organizationId: f.organization }),
      ...(f.user && { user: f.user }),
      ...(f.type && { types: [f.type] }),
      ...(f.from && { from: Date.parse(f.from) }),
      // The whole "to" day is in the range.
      ...(f.to && { to: Date.parse(f.to) + 86_400_000 }),
    });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    const next = rows.length > PAGE_SIZE && last ? String(last.seq) : null;
    const more = (b?: string) => `/console/audit-log${queryOf(b ? { ...f, before: b } : f)}`;
    return c.html(
      <ConsolePage title="Audit log">
        <h1>Audit log</h1>
        <form class="filters" method="get" action="/console/audit-log">
          <div>
            <label for="f-type">Action</label>
            <select id="f-type" name="type">
              <option value="">Any</option>
              {WEBHOOK_EVENT_TYPES.map((t) => (
                <option value={t} selected={f.type === t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <Field id="f-actor" name="actor" label="Actor (user id, secret_key, system)" value={f.actor} />
          <Field id="f-org" name="organization" label="Organization id" value={f.organization} />
          <Field id="f-user" name="user" label="About user id" value={f.user} />
          <Field id="f-from" name="from" label="From" type="date" value={f.from} />
          <Field id="f-to" name="to" label="To" type="date" value={f.to} />
          <button type="submit">Filter</button>
        </form>
        <EventRows c={c} rows={page.map((r) => r.event)} />
        <nav class="pager" aria-label="Pages">
          {before !== null && <a href={more()}>First page</a>}
          {next && (
            <a href={more(next)} rel="next">
              Next page
            </a>
          )}
        </nav>
      </ConsolePage>,
    );
  });
}
