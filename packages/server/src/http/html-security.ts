import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { CONSOLE_CSS } from './console/layout.js';
import { MAILBOX_CSS } from './dev-mailbox.js';
import type { AppEnv } from './env.js';
import { PAGE_CSS } from './pages/layout.js';

/** The CSP source for one inline stylesheet: its SHA-256, so only that exact text may apply. */
function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** Every inline `<style>` the server writes: the hosted pages', the dev mailbox's and the console's. Nothing else may style a page. */
const STYLE_HASHES = [PAGE_CSS, MAILBOX_CSS, CONSOLE_CSS].map(styleHash);

/**
 * The policy every HTML page gets. Nothing loads from elsewhere; scripts only from this origin
 * (the API reference's Swagger UI; no page has inline script); styles only the two stylesheets
 * above by hash, plus `style="…"` attributes (layout only, never script). Forms post to this origin,
 * whose answers may redirect to an allowed app origin (CSP's form-action governs the redirect too).
 * `frame-ancestors 'none'` and `X-Frame-Options` (for older browsers) forbid framing (clickjacking
 * the account, sign-up and accept pages). Links carry tickets: no Referer leaves a page.
 */
export function contentSecurityPolicy(formOrigins: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${STYLE_HASHES.join(' ')}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `form-action 'self'${formOrigins.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Sets the same security headers on every HTML response, whichever route (or sub-app, like the
 * dev mailbox) wrote it: CSP, no framing, no sniffing, no Referer, and no caching (pages show a
 * signed-in user's data, codes and links).
 */
export function htmlSecurityHeaders(options: { formOrigins: string[] }): MiddlewareHandler<AppEnv> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(options.formOrigins),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  return async (c, next) => {
    await next();
    if (!/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) return;
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
