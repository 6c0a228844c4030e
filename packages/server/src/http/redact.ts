const SECRET_PARAMS = /^(ticket|token|code|__clerk_ticket|__roster_ticket|password)$/i;

/** The path and query of a URL with secret query values replaced, for logs. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) u.searchParams.set(key, '[REDACTED]');
  }
  return `${u.pathname}${u.search}`;
}
