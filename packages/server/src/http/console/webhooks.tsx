/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import { AppError } from '../../domain/errors.js';
import {
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  retryWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  type WebhookEndpoint,
} from '../../domain/webhooks/webhooks.js';
import type { AppEnv } from '../env.js';
import { pageError } from '../pages/forms.js';
import { DateTime, pageLocale } from '../pages/layout.js';
import { consoleAction, flashOf, type NoticeText } from './keyset.js';
import { ConsolePage, NotFound, Notice } from './layout.js';

const DONE: Record<string, string> = {
  enabled: 'Endpoint enabled: deliveries are sent again.',
  disabled: 'Endpoint disabled: deliveries wait until it is enabled.',
  retry: 'Delivery queued again: it is sent now.',
};
const DELIVERIES = 50;

function Endpoints(props: { c: Context<AppEnv>; rows: WebhookEndpoint[]; total: number; offset: number }) {
  const locale = pageLocale(props.c);
  return (
    <ConsolePage title="Webhooks">
      <h1>Webhook endpoints</h1>
      {props.rows.length === 0 ? (
        <p>No webhook endpoints. Create one with POST /v1/webhook_endpoints or ROSTER_WEBHOOK_URL.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((e) => (
              <tr>
                <td>
                  <a href={`/console/webhooks/${e.id}`}>{e.url}</a>
                </td>
                <td>{e.enabledEvents.length === 0 ? 'all' : e.enabledEvents.join(', ')}</td>
                <td>{e.disabled ? 'disabled' : e.failingSince ? 'failing' : 'enabled'}</td>
                <td>
                  <DateTime ms={e.createdAt} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        {props.offset > 0 && <a href="/console/webhooks">First page</a>}
        {props.offset + props.rows.length < props.total && (
          <a href={`/console/webhooks?offset=${props.offset + props.rows.length}`} rel="next">
            Next page
          </a>
        )}
      </nav>
    </ConsolePage>
  );
}

async function showEndpoint(c: Context<AppEnv>, id: string, notice: NoticeText, status = 200, secret?: string) {
  const { webhooks } = c.var.deps;
  let endpoint: WebhookEndpoint;
  try {
    endpoint = await getWebhookEndpoint(webhooks, id);
  } catch (error) {
    if (error instanceof AppError) return c.html(<NotFound what="webhook endpoint" back="/console/webhooks" />, 404);
    throw error;
  }
  const deliveries = await listWebhookDeliveries(webhooks, {
    endpointId: endpoint.id,
    limit: DELIVERIES,
    offset: 0,
  });
  const locale = pageLocale(c);
  const base = `/console/webhooks/${endpoint.id}`;
  return c.html(
    <ConsolePage title="Webhook endpoint">
      <p>
        <a href="/console/webhooks">← All endpoints</a>
      </p>
      <h1>Webhook endpoint</h1>
      <Notice {...notice} />
      {secret && (
        <div class="ok" role="status">
          <p>New signing secret (shown once, copy it now; the old one no longer verifies):</p>
          <p>
            <code>{secret}</code>
          </p>
        </div>
      )}
      <dl>
        <dt>Id</dt>
        <dd>{endpoint.id}</dd>
        <dt>URL</dt>
        <dd>{endpoint.url}</dd>
        <dt>Description</dt>
        <dd>{endpoint.description ?? 'none'}</dd>
        <dt>Events</dt>
        <dd>{endpoint.enabledEvents.length === 0 ? 'all' : endpoint.enabledEvents.join(', ')}</dd>
        <dt>State</dt>
        <dd>{endpoint.disabled ? 'disabled' : 'enabled'}</dd>
        <dt>Failing since</dt>
        <dd>{endpoint.failingSince ? <DateTime ms={endpoint.failingSince} locale={locale} /> : 'not failing'}</dd>
      </dl>
      <div class="actions">
        <form method="post" action={`${base}/${endpoint.disabled ? 'enable' : 'disable'}`}>
          <button type="submit" class={endpoint.disabled ? undefined : 'danger'}>
            {endpoint.disabled ? 'Enable endpoint' : 'Disable endpoint'}
          </button>
        </form>
        <form method="post" action={`${base}/rotate-secret`}>
          <button type="submit" class="danger">
            Rotate signing secret
          </button>
        </form>
      </div>
      <h2>Recent deliveries ({deliveries.totalCount})</h2>
      {deliveries.data.length === 0 ? (
        <p>No deliveries yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Response</th>
              <th scope="col">Last try</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr>
                <td>{d.eventType}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.responseStatus ?? d.lastError ?? 'none'}</td>
                <td>
                  <DateTime ms={d.updatedAt} locale={locale} />
                </td>
                <td>
                  {d.status !== 'delivered' && d.attempts > 0 ? (
                    <form method="post" action={`${base}/deliveries/${d.id}/retry`}>
                      <button type="submit">Retry</button>
                    </form>
                  ) : (
                    'none'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ConsolePage>,
    status as 200,
  );
}

/** The console's webhook endpoints: the list; one with its recent deliveries; retry, enable/disable, rotate the secret. */
export function registerConsoleWebhooks(app: Hono<AppEnv>): void {
  app.get('/console/webhooks', async (c) => {
    const offset = Math.min(Number(/^\d{1,6}$/.exec(c.req.query('offset') ?? '')?.[0] ?? 0), 1_000_000);
    const page = await listWebhookEndpoints(c.var.deps.webhooks, { limit: 50, offset });
    return c.html(<Endpoints c={c} rows={page.data} total={page.totalCount} offset={offset} />);
  });
  app.get('/console/webhooks/:id', (c) => showEndpoint(c, c.req.param('id'), flashOf(c, DONE)));
  const refused = (c: Context<AppEnv>, notice: NoticeText, status: number) =>
    showEndpoint(c, c.req.param('id') ?? '', notice, status);
  for (const verb of ['enable', 'disable'] as const) {
    consoleAction(app, `/console/webhooks/:id/${verb}`, {
      run: async (c) => {
        const e = await updateWebhookEndpoint(c.var.deps.webhooks, c.req.param('id') ?? '', {
          disabled: verb === 'disable',
        });
        return `/console/webhooks/${e.id}?done=${verb}d`;
      },
      refused,
    });
  }
  consoleAction(app, '/console/webhooks/:id/deliveries/:delivery/retry', {
    run: async (c) => {
      const id = c.req.param('id') ?? '';
      await retryWebhookDelivery(c.var.deps.webhooks, id, c.req.param('delivery') ?? '');
      return `/console/webhooks/${id}?done=retry`;
    },
    refused,
  });
  // The new secret is shown once, on this answer (a redirect would have to carry or keep it).
  app.post('/console/webhooks/:id/rotate-secret', async (c) => {
    const id = c.req.param('id');
    try {
      const e = await rotateWebhookSecret(c.var.deps.webhooks, id);
      return showEndpoint(c, e.id, {}, 200, c.var.deps.webhooks.secrets.open(e.sealedSecret));
    } catch (error) {
      const { message, status } = pageError(error);
      return showEndpoint(c, id, { error: message }, status);
    }
  });
}
