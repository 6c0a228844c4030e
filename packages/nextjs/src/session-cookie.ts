import type { RosterClient } from '@roster/react';
import { decodeClaims, organizationOf, SESSION_COOKIE, type SessionClaims } from './claims.js';

/**
 * Who a token is for, as far as server-rendered pages care: a change means "render again".
 *
 * @example
 * ```ts
 * const sync = new SessionCookieSync(client, { onIdentityChange: (who: TokenIdentity | null) => console.log(who?.orgId) });
 * ```
 */
export interface TokenIdentity {
  userId: string;
  sessionId: string;
  orgId: string | null;
  orgRole: string | null;
}

/** Mint this long before the token expires. */
const REFRESH_BEFORE_EXPIRY_MS = 15_000;
/** After a failure (network), try again this soon. */
const RETRY_MS = 10_000;

function identityOf(claims: Partial<SessionClaims> | null): TokenIdentity | null {
  if (!claims?.sub || !claims.sid) return null;
  const org = organizationOf(claims);
  return { userId: claims.sub, sessionId: claims.sid, orgId: org?.orgId ?? null, orgRole: org?.orgRole ?? null };
}

function sameIdentity(a: TokenIdentity | null, b: TokenIdentity | null): boolean {
  return (
    a === b ||
    (a !== null &&
      b !== null &&
      a.userId === b.userId &&
      a.sessionId === b.sessionId &&
      a.orgId === b.orgId &&
      a.orgRole === b.orgRole)
  );
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * Keeps a fresh Roster session token in the `__session` cookie of the app's own origin, so the
 * app's server can verify who is asking without calling Roster. Mints a token (60 s) now, again
 * shortly before it expires, when the window regains focus, and after every change made through
 * the client; clears the cookie when signed out. `onIdentityChange` fires when the cookie now
 * names another user, session, organization or role than the pages were rendered with.
 * `<RosterProvider>` runs one; use it directly only without the provider.
 *
 * @example
 * ```ts
 * const sync = new SessionCookieSync(createRosterClient({ baseUrl }), { onIdentityChange: () => location.reload() });
 * sync.start();
 * ```
 */
export class SessionCookieSync {
  readonly #client: RosterClient;
  readonly #onIdentityChange: (identity: TokenIdentity | null) => void;
  readonly #listeners = new Set<() => void>();
  #identity: TokenIdentity | null | undefined;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stop: (() => void) | null = null;

  constructor(client: RosterClient, options: { onIdentityChange?: (identity: TokenIdentity | null) => void } = {}) {
    this.#client = client;
    this.#onIdentityChange = options.onIdentityChange ?? (() => {});
  }

  /** Who the cookie names: `undefined` until the first token was minted (or refused). */
  get identity(): TokenIdentity | null | undefined {
    return this.#identity;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getIdentity = (): TokenIdentity | null | undefined => this.#identity;

  start(): void {
    if (this.#stop) return;
    const refresh = () => void this.refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const unsubscribe = this.#client.onChange(refresh);
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    this.#stop = () => {
      unsubscribe();
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
    };
    refresh();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Mints a token and writes the cookie; resolves once the cookie is current. Calls made while
   * one is running wait for it and one more run (a change may have happened meanwhile).
   */
  refresh(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async () => {
      do {
        this.#again = false;
        await this.#once();
      } while (this.#again);
    };
    this.#running = run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #once(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    let token: string | null;
    try {
      token = await this.#client.getToken();
    } catch {
      // Roster unreachable: keep the cookie we have (it expires by itself) and try again soon.
      if (this.#stop) this.#timer = setTimeout(() => void this.refresh(), RETRY_MS);
      return;
    }
    const claims = token ? decodeClaims(token) : null;
    const before = this.#identity === undefined ? identityOf(this.#cookieClaims()) : this.#identity;
    if (token && claims?.exp) {
      const lifetime = (claims.exp - (claims.iat ?? claims.exp - 60)) * 1000;
      let msLeft = claims.exp * 1000 - Date.now();
      // The browser's clock disagrees with Roster's: trust the token's own lifetime (the server checks it).
      if (msLeft <= 0 || msLeft > lifetime) msLeft = lifetime;
      this.#write(token, Math.max(1, Math.floor(msLeft / 1000)));
      if (this.#stop) {
        this.#timer = setTimeout(
          () =>
            void this.#client.getToken({ skipCache: true }).then(
              () => this.refresh(),
              () => this.refresh(),
            ),
          Math.max(1_000, msLeft - REFRESH_BEFORE_EXPIRY_MS),
        );
      }
    } else {
      this.#write('', 0);
    }
    const after = identityOf(claims);
    const changed = !sameIdentity(before, after);
    this.#identity = after;
    for (const listener of [...this.#listeners]) listener();
    if (changed) this.#onIdentityChange(after);
  }

  /** The claims of the cookie the page was loaded with, if it has not expired. */
  #cookieClaims(): Partial<SessionClaims> | null {
    const value = readCookie(SESSION_COOKIE);
    const claims = value ? decodeClaims(value) : null;
    return claims?.exp && claims.exp * 1000 > Date.now() ? claims : null;
  }

  #write(value: string, maxAgeSeconds: number): void {
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    const expiry = maxAgeSeconds > 0 ? `Max-Age=${maxAgeSeconds}` : 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser this runs in.
    document.cookie = `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; ${expiry}; SameSite=Lax${secure}`;
  }
}
