/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { MailKind, OutboxMessage } from '../domain/records.js';
import {
  type CustomTemplates,
  SAMPLE_VARIABLES,
  TEMPLATE_KINDS,
  TEMPLATE_VARIABLES,
} from '../email/custom-templates.js';
import { renderOutboxMessage } from '../email/render.js';
import { createSecretBox } from '../email/secret-box.js';
import type { MailBrand } from '../email/templates/layout.js';
import type { MailLanguage } from '../email/templates/words.js';
import { DevPage } from './dev-mailbox.js';

/**
 * Development only: every mail as it would be sent, with sample values, through the same renderer
 * the dispatcher uses (the operator's templates from `ROSTER_EMAIL_TEMPLATES_DIR` where there are
 * some, else the built-in ones): `GET /dev/mail-templates` and `/dev/mail-templates/:kind/:language`.
 */

const LANGUAGES: readonly MailLanguage[] = ['en', 'fr'];
// The samples are sealed and opened again, as an outbox row is: a box of its own, never the instance's.
const box = createSecretBox('roster-template-preview');
const EXPIRES_AT = Date.UTC(2026, 11, 31, 21, 32);

function sampleMessage(kind: MailKind): OutboxMessage {
  const s = SAMPLE_VARIABLES[kind];
  const payload: Record<string, unknown> =
    kind === 'organization_invitation'
      ? {
          organizationName: s.organizationName,
          inviterName: s.inviterName,
          roleName: s.roleName,
          url: box.seal(String(s.url)),
        }
      : kind === 'app_invitation'
        ? { siteName: s.siteName, url: box.seal(String(s.url)) }
        : kind === 'primary_email_address_changed'
          ? { siteName: s.siteName, changedAt: EXPIRES_AT }
          : kind === 'organization_membership_request'
            ? { organizationName: s.organizationName, requesterName: s.requesterName, requesterEmail: s.requesterEmail }
            : { code: box.seal(String(s.code)) };
  return {
    id: 'msg_preview',
    kind,
    toAddress: 'someone@example.com',
    payload: { ...payload, expiresAt: EXPIRES_AT },
    invitationId: null,
    messageId: '<preview@roster>',
    status: 'queued',
    attempts: 0,
    nextAttemptAt: 0,
    lockedUntil: null,
    lastError: null,
    createdAt: 0,
    sentAt: null,
  };
}

export function devMailTemplateRoutes(templates: CustomTemplates | null, brand?: MailBrand): Hono {
  const app = new Hono();
  app.use('/dev/mail-templates/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.get('/dev/mail-templates', (c) =>
    c.html(
      <DevPage title="Mail templates">
        <h1>Mail templates</h1>
        <p class="note">
          Each mail with sample values, as it would be sent. Set ROSTER_EMAIL_TEMPLATES_DIR to use your own.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Mail</th>
              <th scope="col">Language</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            {TEMPLATE_KINDS.flatMap((kind) =>
              LANGUAGES.map((language) => (
                <tr>
                  <td>
                    <a href={`/dev/mail-templates/${kind}/${language}`}>{kind}</a>
                  </td>
                  <td>{language}</td>
                  <td>{templates?.overridden(kind, language) ? 'yours' : 'built-in'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </DevPage>,
    ),
  );
  app.get('/dev/mail-templates/:kind/:language', (c) => {
    const kind = c.req.param('kind') as MailKind;
    const language = c.req.param('language') as MailLanguage;
    if (!(TEMPLATE_KINDS as readonly string[]).includes(kind) || !LANGUAGES.includes(language)) {
      return c.html(
        <DevPage title="No such template">
          <h1>No such template</h1>
          <p>
            <a href="/dev/mail-templates">All templates</a>
          </p>
        </DevPage>,
        404,
      );
    }
    const { mail } = renderOutboxMessage(sampleMessage(kind), box, { locale: language, templates, brand });
    return c.html(
      <DevPage title={`${kind} (${language})`}>
        <p>
          <a href="/dev/mail-templates">← All templates</a>
        </p>
        <h1>
          {kind} ({language})
        </h1>
        <dl>
          <dt>Subject</dt>
          <dd>{mail.subject}</dd>
          <dt>Template</dt>
          <dd>{templates?.overridden(kind, language) ? 'yours' : 'built-in'}</dd>
        </dl>
        <h2>Variables</h2>
        <dl>
          {Object.entries(TEMPLATE_VARIABLES[kind]).map(([name, meaning]) => (
            <>
              <dt>
                <code>{`{{${name}}}`}</code>
              </dt>
              <dd>{meaning}</dd>
            </>
          ))}
        </dl>
        <h2>HTML</h2>
        <iframe title="HTML body of the email" sandbox="" referrerpolicy="no-referrer" srcdoc={mail.html} />
        <h2>Text</h2>
        <pre>{mail.text}</pre>
      </DevPage>,
    );
  });
  return app;
}
