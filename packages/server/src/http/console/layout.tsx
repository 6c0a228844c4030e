/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** The console's one stylesheet (allowed by its hash in html-security.ts). Works down to 390 px. */
export const CONSOLE_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#18181b;background:#fafafa}
header{background:#18181b;color:#fff;padding:10px 16px}header nav{display:flex;flex-wrap:wrap;gap:4px 16px;max-width:1100px;margin:0 auto;align-items:center}
header a{color:#fff}header strong{margin-right:8px}
main{max-width:1100px;margin:0 auto;padding:20px 16px}h1{font-size:22px;margin:0 0 12px;overflow-wrap:anywhere}h2{font-size:17px;margin:24px 0 8px}
a{color:#1d4ed8}table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e4e4e7}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e4e4e7;vertical-align:top;overflow-wrap:anywhere}
th{font-size:13px;color:#52525b;font-weight:600}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin:0 0 16px}form.filters>div{min-width:0;max-width:100%}
label{display:block;font-size:13px;font-weight:600;color:#3f3f46}
input,select{font:inherit;padding:7px 9px;border:1px solid #a1a1aa;border-radius:6px;background:#fff;max-width:100%}
button{font:inherit;padding:7px 14px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;font-weight:600;cursor:pointer}
button.danger{background:#b91c1c}button.link{background:none;color:#fff;padding:0;text-decoration:underline;font-weight:400}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:0 0 16px}dt{color:#52525b}dd{margin:0;overflow-wrap:anywhere}
form.settings{display:grid;gap:6px;max-width:480px;margin:0 0 16px}form.settings button{justify-self:start;margin-top:8px}
.hint{margin:0;font-size:13px;color:#52525b}
.actions{display:flex;flex-wrap:wrap;gap:8px}.actions form{margin:0}
.error{background:#fef2f2;border:1px solid #fca5a5;color:#7f1d1d;padding:8px 12px;border-radius:6px;margin:0 0 12px}
.ok{background:#f0fdf4;border:1px solid #86efac;color:#14532d;padding:8px 12px;border-radius:6px;margin:0 0 12px}
.pager{display:flex;gap:16px;margin:12px 0}.card{max-width:420px;margin:10vh auto;background:#fff;border:1px solid #e4e4e7;border-radius:10px;padding:24px}
.card input{width:100%}.card button{margin-top:14px;width:100%}
@media (max-width:640px){main{padding:14px 10px}
table,tbody,tr,td{display:block}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
tr{border-bottom:1px solid #e4e4e7;padding:6px 0}td{border:0;padding:2px 10px}dl{grid-template-columns:minmax(0,1fr)}dd{margin-bottom:6px}}
`;

/** A console page, whole: doctype (standards mode), the navigation when signed in, then `children`. */
export function ConsolePage(props: { title: string; signedIn?: boolean; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · Roster console`}</title>
          <style>{raw(CONSOLE_CSS)}</style>
        </head>
        <body>
          {props.signedIn !== false && (
            <header>
              <nav aria-label="Console">
                <strong>Roster console</strong>
                <a href="/console/invitations">Invitations</a>
                <a href="/console/users">Users</a>
                <a href="/console/organizations">Organizations</a>
                <a href="/console/webhooks">Webhooks</a>
                <a href="/console/email">Email</a>
                <a href="/console/audit-log">Audit log</a>
                <form method="post" action="/console/sign-out" style="margin:0 0 0 auto">
                  <button type="submit" class="link">
                    Sign out
                  </button>
                </form>
              </nav>
            </header>
          )}
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

export function Notice(props: { error?: string | null; ok?: string | null }) {
  if (props.error)
    return (
      <p class="error" role="alert">
        {props.error}
      </p>
    );
  if (props.ok)
    return (
      <p class="ok" role="status">
        {props.ok}
      </p>
    );
  return null;
}

/** The page for an id that names nothing (any more). */
export function NotFound(props: { what: string; back: string }) {
  return (
    <ConsolePage title="Not found">
      <h1>No such {props.what}</h1>
      <p>
        <a href={props.back}>← Back to the list</a>
      </p>
    </ConsolePage>
  );
}
