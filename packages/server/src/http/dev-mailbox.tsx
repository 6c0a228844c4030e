/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { DevMail, DevMailbox } from '../email/dev-mailbox.js';
import { linksIn } from '../email/transports.js';
import { DateTime, pageLocale } from './pages/layout.js';

/**
 * Development only: the mail the dev-mailbox transport kept, readable by a person
 * (`/dev/mailbox`, `/dev/mailbox/:id`) and by tests and scripts (`/dev/mailbox.json`).
 * Mount it only when the dev mailbox is the configured transport: the pages show working links.
 */

const LIST_LIMIT = 100;

export const MAILBOX_CSS = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#18181b;background:#fafafa}
main{max-width:960px;margin:0 auto;padding:24px 16px}
h1{font-size:22px;margin:0 0 4px}
p.note{color:#52525b;margin:0 0 20px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e4e4e7}
th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #e4e4e7;vertical-align:top;overflow-wrap:anywhere}
th{font-size:13px;color:#52525b;font-weight:600}
a{color:#1d4ed8}
time{white-space:nowrap;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:0 0 20px}
dt{color:#52525b}dd{margin:0;word-break:break-all}
h2{font-size:16px;margin:24px 0 8px}
iframe{width:100%;height:640px;border:1px solid #e4e4e7;background:#fff}
pre{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #e4e4e7;padding:12px;margin:0}
ul.links{padding-left:20px;word-break:break-all}
@media (max-width:600px){
main{padding:16px 12px}
table,tbody,tr,td{display:block}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
tr{border-bottom:1px solid #e4e4e7;padding:8px 0}
td{border:0;padding:2px 12px}
td:first-child{font-size:13px;color:#52525b}
dl{grid-template-columns:minmax(0,1fr)}
dd{margin-bottom:8px}
iframe{height:480px}
}
`;

/** A development page, whole: doctype, the mailbox's stylesheet, `children` in `<main>`. */
export function DevPage(props: { title: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{props.title}</title>
          <style>{raw(MAILBOX_CSS)}</style>
        </head>
        <body>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

function MailList(props: { mails: DevMail[]; locale: string | null }) {
  return (
    <DevPage title="Dev mailbox">
      <h1>Dev mailbox</h1>
      <p class="note">
        Development only: mail is kept here instead of being sent. Newest first. <a href="/dev/mailbox.json">JSON</a>
      </p>
      {props.mails.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {props.mails.map((m) => (
              <tr>
                <td>
                  <DateTime ms={m.createdAt} locale={props.locale} />
                </td>
                <td>{m.to}</td>
                <td>
                  <a href={`/dev/mailbox/${m.id}`}>{m.subject || '(no subject)'}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DevPage>
  );
}

/** The mail's HTML with links opening in a new tab: the sandbox lets popups escape, not top navigation. */
function framed(html: string): string {
  const base = '<base target="_blank">';
  return /<head(\s[^>]*)?>/i.test(html) ? html.replace(/<head(\s[^>]*)?>/i, (tag) => tag + base) : base + html;
}

function MailView(props: { mail: DevMail; locale: string | null }) {
  const m = props.mail;
  const links = linksIn(m.text);
  return (
    <DevPage title={`${m.subject} · Dev mailbox`}>
      <p>
        <a href="/dev/mailbox">← All mail</a>
      </p>
      <h1>{m.subject || '(no subject)'}</h1>
      <dl>
        <dt>From</dt>
        <dd>{m.from}</dd>
        <dt>To</dt>
        <dd>{m.to}</dd>
        <dt>Received</dt>
        <dd>
          <DateTime ms={m.createdAt} locale={props.locale} />
        </dd>
        <dt>Message-ID</dt>
        <dd>{m.messageId}</dd>
      </dl>
      {links.length > 0 && (
        <>
          <h2>Links</h2>
          <ul class="links">
            {links.map((href) => (
              <li>
                <a href={href} rel="noreferrer">
                  {href}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>HTML</h2>
      <iframe
        title="HTML body of the email"
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerpolicy="no-referrer"
        srcdoc={framed(m.html)}
      />
      <h2>Text</h2>
      <pre>{m.text}</pre>
    </DevPage>
  );
}

/**
 * Routes for reading the dev mailbox: `GET /dev/mailbox` (HTML list), `GET /dev/mailbox/:id`
 * (one mail, its HTML in a sandboxed iframe) and `GET /dev/mailbox.json` (an array, newest
 * first; `?limit=` up to 100).
 *
 * @example
 * if (config.mailer === 'dev') app.route('/', devMailboxRoutes(mailbox));
 */
export function devMailboxRoutes(mailbox: DevMailbox): Hono {
  const app = new Hono();

  app.use('/dev/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });

  app.get('/dev/mailbox', async (c) =>
    c.html(<MailList mails={await mailbox.list(LIST_LIMIT)} locale={pageLocale(c)} />),
  );

  app.get('/dev/mailbox.json', async (c) => {
    const requested = Number.parseInt(c.req.query('limit') ?? '', 10);
    const limit = Number.isFinite(requested) && requested > 0 ? Math.min(requested, LIST_LIMIT) : LIST_LIMIT;
    const mails = await mailbox.list(limit);
    return c.json(
      mails.map((m) => ({
        id: m.id,
        message_id: m.messageId,
        to: m.to,
        from: m.from,
        subject: m.subject,
        text: m.text,
        html: m.html,
        created_at: m.createdAt,
      })),
    );
  });

  app.get('/dev/mailbox/:id{[0-9]+}', async (c) => {
    const mail = await mailbox.get(Number(c.req.param('id')));
    if (!mail) {
      return c.html(
        <DevPage title="Not found · Dev mailbox">
          <h1>No such mail</h1>
          <p>
            <a href="/dev/mailbox">← All mail</a>
          </p>
        </DevPage>,
        404,
      );
    }
    return c.html(<MailView mail={mail} locale={pageLocale(c)} />);
  });

  return app;
}
