/**
 * Query parameters whose values are credentials: invitation tickets (ours and Clerk's names),
 * session or other tokens, emailed codes, passwords, keys. Matched anywhere in the name, any case,
 * so `__clerk_ticket`, `session_token` and `Ticket` are all covered; over-redacting is harmless.
 */
const SECRET_PARAM = /ticket|token|code|pass|secret|session|key|auth|signature|jwt/i;

/** The path and query of a URL with secret query values replaced by `[REDACTED]`, for logs. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (!u.search) return u.pathname;
  const query = [...u.searchParams]
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${SECRET_PARAM.test(key) ? '[REDACTED]' : encodeURIComponent(value)}`,
    )
    .join('&');
  return `${u.pathname}?${query}`;
}
