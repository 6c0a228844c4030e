/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { BRAND_LOGO_PATH, type Brand, DEFAULT_BRAND } from '../../brand.js';
import { formatDateTime, localeFromAcceptLanguage } from '../../i18n/dates.js';
import { type PageText, pageText as textFor } from '../../i18n/page-text.js';
import type { AppEnv } from '../env.js';

/**
 * Shared page chrome: a centred card, system fonts, no external assets. Written raw into `<style>`
 * (escaping would turn `>` into `&gt;`, which CSS does not decode) and allowed by its hash in the
 * pages' Content-Security-Policy (http/html-security.ts).
 */
export const PAGE_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:440px;margin:8vh auto;padding:0 16px}.card{background:#fff;border:1px solid #d8dee4;border-radius:12px;padding:28px;box-shadow:0 1px 3px rgba(0,0,0,.05)}
h1{font-size:1.35rem;margin:0 0 8px}p{margin:0 0 14px}.muted{color:#57606a;font-size:.92rem}
label{display:block;font-weight:600;font-size:.9rem;margin:12px 0 4px}input{width:100%;padding:10px 12px;border:1px solid #d0d7de;border-radius:8px;font:inherit}
input[readonly]{background:#f6f8fa;color:#57606a}input:focus,button:focus,a:focus{outline:2px solid var(--accent,#0969da);outline-offset:2px}
button{margin-top:18px;width:100%;padding:11px;border:0;border-radius:8px;background:var(--accent,#0969da);color:var(--accent-text,#fff);font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#eaeef2;color:#1f2328}.error{background:#ffebe9;border:1px solid #ff818266;color:#82071e;padding:10px 12px;border-radius:8px;margin-bottom:14px}
.ok{background:#dafbe1;border:1px solid #4ac26b66;color:#116329;padding:10px 12px;border-radius:8px;margin-bottom:14px}
.row{display:flex;gap:12px}.row>div{flex:1}ul{padding-left:18px}li{margin:6px 0}a{color:var(--link,#0969da)}
.brand{display:flex;align-items:center;justify-content:center;gap:10px;margin:0 0 16px;font-weight:700;font-size:1.1rem}.brand img{height:40px;width:auto;max-width:160px}.org-logo{display:block;width:48px;height:48px;border-radius:8px;object-fit:cover;margin:0 0 12px}
@media (max-width:480px){main{margin:4vh auto;padding:0 12px}.card{padding:20px}.row{flex-wrap:wrap}.row>div{flex:1 1 9rem}}
`;

/** Every hosted page, whole: the doctype first (standards mode, not quirks), then the chrome around `children`. */
export function Page(props: { title: string; text: PageText; children: Child }) {
  const brand = props.text.brand ?? DEFAULT_BRAND;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={props.text.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>{props.title}</title>
          <style>{raw(PAGE_CSS)}</style>
        </head>
        <body style={brandStyle(brand)}>
          <main>
            <BrandHeader brand={brand} />
            <div class="card">{props.children}</div>
          </main>
        </body>
      </html>
    </>
  );
}

/** The brand's colours as the stylesheet's variables (validated hex, so safe in the attribute). */
function brandStyle(brand: Brand): string | undefined {
  if (!brand.colorSet) return undefined;
  return `--accent:${brand.accent};--accent-text:${brand.accentText};--link:${brand.link}`;
}

/** The instance's logo and name above the card (decision 050); nothing when neither is set. */
function BrandHeader(props: { brand: Brand }) {
  const { name, logo } = props.brand;
  if (!name && !logo) return null;
  return (
    <header class="brand">
      {logo && (
        <img
          src={`${BRAND_LOGO_PATH}?v=${logo.etag.slice(1, 9)}`}
          alt={name ? '' : 'Logo'}
          width={Math.round(logo.width / 2)}
          height={Math.round(logo.height / 2)}
        />
      )}
      {name && <span>{name}</span>}
    </header>
  );
}

export function ErrorNote(props: { message: string | null }) {
  return props.message ? (
    <div class="error" role="alert">
      {props.message}
    </div>
  ) : null;
}

/** A six-digit emailed code, labelled, typed as one-time code (every page that asks for one). */
export function CodeField(props: { label: string; id?: string; autofocus?: boolean }) {
  const id = props.id ?? 'code';
  return (
    <>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxlength={6}
        required
        autofocus={props.autofocus ?? true}
      />
    </>
  );
}

/** Name and new password: the fields both sign-up forms ask for (hosted sign-up and the invitation's). */
export function NewAccountFields(props: { text: PageText }) {
  const { common } = props.text.m;
  return (
    <>
      <div class="row">
        <div>
          <label for="first_name">{common.firstName}</label>
          <input id="first_name" name="first_name" autocomplete="given-name" />
        </div>
        <div>
          <label for="last_name">{common.lastName}</label>
          <input id="last_name" name="last_name" autocomplete="family-name" />
        </div>
      </div>
      <label for="password">{common.password}</label>
      <input id="password" name="password" type="password" autocomplete="new-password" minlength={8} required />
      <p class="muted">{common.passwordHint}</p>
    </>
  );
}

/**
 * The words of a hosted page for this reader: their `Accept-Language`, else the instance's
 * `ROSTER_LOCALE`, else English (decision 044). The answer then depends on that header, so it
 * says so (`Vary: Accept-Language`) for any cache in between.
 */
export function pageText(c: Context<AppEnv>): PageText {
  c.header('Vary', 'Accept-Language', { append: true });
  return { ...textFor(c.req.header('accept-language'), c.var.locale), brand: c.var.brand };
}

/** The reader's locale for dates (the console and dev mailbox too): their `Accept-Language`, when it names one `Intl` knows. */
export function pageLocale(c: Context): string | null {
  return localeFromAcceptLanguage(c.req.header('accept-language'));
}

/** A moment on a hosted page: the one formatter (i18n/dates.ts) in the reader's locale, machine-readable too. */
export function DateTime(props: { ms: number; locale: string | null }) {
  return <time datetime={new Date(props.ms).toISOString()}>{formatDateTime(props.ms, { locale: props.locale })}</time>;
}
