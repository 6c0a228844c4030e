import {
  isRosterAPIError,
  type Me,
  type OrganizationMembership,
  type RosterChangeEvent,
  type RosterClient,
  type RosterError,
} from '@roster/client';

/** What the provider knows about who is signed in. Replaced (never mutated) on every change. */
export type AuthSnapshot =
  | { status: 'loading' }
  | { status: 'signed_out'; error: RosterError | null }
  | { status: 'signed_in'; me: Me; active: OrganizationMembership | null };

/**
 * The signed-in state as an external store (for `useSyncExternalStore`): loads who is signed in, and loads
 * it again after every change the client reports, so hooks see new memberships, roles, counts
 * and the active organization without a page reload.
 */
export class AuthStore {
  readonly client: RosterClient;
  #snapshot: AuthSnapshot = { status: 'loading' };
  readonly #listeners = new Set<() => void>();
  #seq = 0;
  #unsubscribe: (() => void) | null = null;

  constructor(client: RosterClient) {
    this.client = client;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getSnapshot = (): AuthSnapshot => this.#snapshot;

  /** Starts listening and loads who is signed in. Idempotent; `stop()` undoes it (React StrictMode runs both). */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.client.onChange((event) => this.#onChange(event));
    void this.refresh();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#seq++;
  }

  /**
   * Loads who is signed in again (`GET /fapi/v1/client`, 200 with `me: null` when signed out, so a
   * signed-out page logs no 401); the latest call wins. A 401 still means signed out.
   */
  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const me = await this.client.findMe();
      if (seq !== this.#seq) return;
      if (me) this.#set({ status: 'signed_in', me, active: activeMembership(me) });
      else this.#set({ status: 'signed_out', error: null });
    } catch (error) {
      if (seq !== this.#seq) return;
      if (isRosterAPIError(error) && error.status === 401) this.#set({ status: 'signed_out', error: null });
      // A failed refresh keeps what we knew; a failed first load is reported as signed out.
      else if (this.#snapshot.status === 'loading') this.#set({ status: 'signed_out', error: error as RosterError });
    }
  }

  #onChange(event: RosterChangeEvent): void {
    if (event.kind === 'signed_out') {
      this.#seq++;
      this.#set({ status: 'signed_out', error: null });
      return;
    }
    void this.refresh();
  }

  #set(snapshot: AuthSnapshot): void {
    this.#snapshot = snapshot;
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * The session's active organization if the user still belongs to it, else none: the personal
 * account, as in the session token (a new session starts in the newest membership; decision 027).
 */
export function activeMembership(me: Me): OrganizationMembership | null {
  const id = me.session.lastActiveOrganizationId;
  return (id && me.memberships.find((m) => m.organization.id === id)) || null;
}
