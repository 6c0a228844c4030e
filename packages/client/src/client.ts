import type {
  ClientJSON,
  MeJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  PageJSON,
  SessionJSON,
  UserOrganizationInvitationJSON,
} from '@roster/protocol';
import { SignIn, SignUp, Tickets } from './auth.js';
import { isRosterAPIError } from './errors.js';
import type { RosterChangeListener } from './events.js';
import { Transport, type TransportOptions } from './http.js';
import { Organization } from './resources/organization.js';
import { OrganizationMembership } from './resources/organization-membership.js';
import { Session } from './resources/session.js';
import { User } from './resources/user.js';
import { UserOrganizationInvitation } from './resources/user-organization-invitation.js';
import {
  type InvitationListParams,
  listOf,
  type PaginatedResponse,
  type PaginationParams,
  pageQuery,
} from './types.js';

/**
 * Options for `createRosterClient`.
 *
 * - `baseUrl`: the Roster server (its public URL, or `''` for the page's own origin); requests go to `${baseUrl}/fapi/v1/…`.
 * - `fetch`: a `fetch` to use instead of the global one.
 * - `sessionToken`: a session token to send as `Authorization: Bearer`. Giving one (even `null`)
 *   selects bearer mode: tokens from sign-in responses (`X-Roster-Session-Token`) are kept and sent.
 *   Without it, browsers use the HttpOnly session cookie (`credentials: 'include'`) and other
 *   runtimes use bearer mode.
 * - `credentials`: overrides the `fetch` credentials mode.
 * - `timeoutMs`: per request, default 15 000.
 * - `headers`: extra headers on every request.
 *
 * @example
 * ```ts
 * const options: RosterClientOptions = { baseUrl: 'https://roster.example.com' };
 * ```
 */
export type RosterClientOptions = TransportOptions;

/**
 * Options for `getToken()`. `skipCache` mints a new token even if the cached one is still fresh.
 *
 * @example
 * ```ts
 * const options: GetTokenOptions = { skipCache: true };
 * ```
 */
export interface GetTokenOptions {
  skipCache?: boolean;
}

/** A cached token is reused while it has at least this long to live. */
const TOKEN_REUSE_MARGIN_MS = 15_000;

/**
 * The signed-in user, their session and all their memberships.
 *
 * @example
 * ```ts
 * const { user, session, memberships } = await client.getMe();
 * ```
 */
export interface Me {
  user: User;
  session: Session;
  memberships: OrganizationMembership[];
}

/**
 * The Frontend API client. Create it with `createRosterClient`.
 *
 * @example
 * ```ts
 * const client = createRosterClient({ baseUrl: 'https://roster.example.com' });
 * await client.signIn.create({ identifier: 'ada@example.com', password });
 * const organization = await client.createOrganization({ name: 'Acme' });
 * await organization.inviteMember({ emailAddress: 'bob@example.com', role: 'basic_member' });
 * ```
 */
export class RosterClient {
  /** Sign-up with an emailed code. */
  readonly signUp: SignUp;
  /** Sign-in with email and password. */
  readonly signIn: SignIn;
  /** Invitation links. */
  readonly tickets: Tickets;
  readonly #http: Transport;
  #token: { jwt: string; expiresAt: number } | null = null;
  #minting: Promise<string | null> | null = null;
  /** Bumped on every change: a token minted before a change may carry stale claims. */
  #generation = 0;

  constructor(options: RosterClientOptions) {
    this.#http = new Transport(options);
    this.signUp = new SignUp(this.#http);
    this.signIn = new SignIn(this.#http);
    this.tickets = new Tickets(this.#http);
    this.#http.events.on(() => this.#forgetToken());
  }

  #forgetToken(): void {
    this.#generation++;
    this.#token = null;
    this.#minting = null;
  }

  /** The server this client talks to. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** The bearer token in use (bearer mode only; `null` in cookie mode or when signed out). */
  get sessionToken(): string | null {
    return this.#http.bearer ? this.#http.sessionToken : null;
  }

  /**
   * Listens for changes made through this client (invitations, memberships, organizations,
   * sign-in/out, active organization). Returns a function that stops listening.
   *
   * @example
   * ```ts
   * const stop = client.onChange(({ kind, organizationId }) => console.log(kind, organizationId));
   * stop();
   * ```
   */
  onChange(listener: RosterChangeListener): () => void {
    return this.#http.events.on(listener);
  }

  /**
   * Signs out: ends the session on the server and forgets the token.
   *
   * @example
   * ```ts
   * await client.signOut();
   * ```
   */
  async signOut(): Promise<void> {
    try {
      await this.#http.request<unknown>('POST', '/client/sign_out');
    } finally {
      this.#http.sessionToken = null;
      this.#http.sessionId = null;
      this.#forgetToken();
    }
    this.#http.emit({ kind: 'signed_out', organizationId: null });
  }

  /**
   * A short-lived signed session token (a JWT, valid 60 s) for your own server to verify against
   * Roster's published keys (`/.well-known/jwks.json`, or `@clerk/backend`'s `verifyToken`) without
   * calling Roster: RS256, Clerk's v2 claims (`sub`, `sid`, `v: 2`, the active organization in
   * `o: { id, slg, rol, per, fpm }`). Resolves with `null` when signed out.
   * The token is cached while it has 15 s or more to live, and dropped after every change made
   * through this client (a new role or active organization changes the claims).
   *
   * @example
   * ```ts
   * const token = await client.getToken();
   * await fetch('/api/projects', { headers: { authorization: `Bearer ${token}` } });
   * ```
   */
  getToken(options: GetTokenOptions = {}): Promise<string | null> {
    const cached = this.#token;
    if (!options.skipCache && cached && cached.expiresAt - Date.now() > TOKEN_REUSE_MARGIN_MS) {
      return Promise.resolve(cached.jwt);
    }
    if (!options.skipCache && this.#minting) return this.#minting;
    const generation = this.#generation;
    const minting: Promise<string | null> = this.#mint().then(
      (token) => {
        if (this.#minting === minting) this.#minting = null;
        if (generation === this.#generation) this.#token = token;
        return token?.jwt ?? null;
      },
      (error: unknown) => {
        if (this.#minting === minting) this.#minting = null;
        throw error;
      },
    );
    this.#minting = minting;
    return minting;
  }

  async #mint(): Promise<{ jwt: string; expiresAt: number } | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const sessionId = this.#http.sessionId ?? (await this.#currentSessionId());
      if (!sessionId) return null;
      try {
        const json = await this.#http.request<{ jwt: string; expires_in: number }>(
          'POST',
          `/client/sessions/${encodeURIComponent(sessionId)}/tokens`,
        );
        return { jwt: json.jwt, expiresAt: Date.now() + json.expires_in * 1000 };
      } catch (error) {
        // The session we knew has ended (signed out, or replaced by a sign-in in another tab): ask again once.
        if (!isRosterAPIError(error) || error.status !== 401) throw error;
        this.#http.sessionId = null;
      }
    }
    return null;
  }

  async #currentSessionId(): Promise<string | null> {
    return (await this.findMe())?.session.id ?? null;
  }

  /**
   * The signed-in user, session and memberships. Throws `RosterAPIError` (401 `session_invalid`) when signed out.
   *
   * @example
   * ```ts
   * const { user } = await client.getMe();
   * ```
   */
  async getMe(): Promise<Me> {
    return this.#me(await this.#http.request<MeJSON>('GET', '/me'));
  }

  /**
   * The signed-in user, session and memberships, or `null` when signed out. Unlike `getMe()` it
   * asks `GET /fapi/v1/client`, which answers 200 either way, so a signed-out visitor's page
   * logs no 401 (decision 028).
   *
   * @example
   * ```ts
   * const me = await client.findMe();
   * if (!me) showSignIn();
   * ```
   */
  async findMe(): Promise<Me | null> {
    const json = await this.#http.request<ClientJSON>('GET', '/client');
    if (!json.me) {
      this.#http.sessionId = null;
      return null;
    }
    return this.#me(json.me);
  }

  #me(json: MeJSON): Me {
    this.#http.sessionId = json.session.id;
    return {
      user: new User(json.user, this.#http),
      session: new Session(json.session),
      memberships: json.organization_memberships.map((m) => new OrganizationMembership(this.#http, m)),
    };
  }

  /**
   * Creates an organization; you become its admin and it becomes the session's active organization.
   *
   * @example
   * ```ts
   * const organization = await client.createOrganization({ name: 'Acme', slug: 'acme' });
   * ```
   */
  async createOrganization(params: { name: string; slug?: string }): Promise<Organization> {
    const json = await this.#http.request<OrganizationJSON>('POST', '/organizations', {
      body: { name: params.name, ...(params.slug !== undefined && { slug: params.slug }) },
    });
    this.#http.emit({ kind: 'organization_created', organizationId: json.id });
    return new Organization(this.#http, json);
  }

  /**
   * An organization you belong to, by id or slug.
   *
   * @example
   * ```ts
   * const organization = await client.getOrganization('org_123');
   * ```
   */
  async getOrganization(idOrSlug: string): Promise<Organization> {
    const json = await this.#http.request<OrganizationJSON>('GET', `/organizations/${encodeURIComponent(idOrSlug)}`);
    return new Organization(this.#http, json);
  }

  /**
   * Sets the session's active organization (by id, slug or resource; `null` for none).
   *
   * @example
   * ```ts
   * await client.setActive({ organization: 'org_123' });
   * ```
   */
  async setActive(params: { organization: string | Organization | null }): Promise<Session> {
    const { organization } = params;
    const id = organization === null ? null : typeof organization === 'string' ? organization : organization.id;
    const json = await this.#http.request<SessionJSON>('POST', '/me/active_organization', {
      body: { organization_id: id },
    });
    this.#http.emit({ kind: 'active_organization_changed', organizationId: json.last_active_organization_id });
    return new Session(json);
  }

  /**
   * The signed-in user's memberships, a page at a time.
   *
   * @example
   * ```ts
   * const { data, totalCount } = await client.getOrganizationMemberships({ pageSize: 50 });
   * ```
   */
  async getOrganizationMemberships(params: PaginationParams = {}): Promise<PaginatedResponse<OrganizationMembership>> {
    const json = await this.#http.request<PageJSON<OrganizationMembershipJSON>>('GET', '/me/organization_memberships', {
      query: pageQuery(params),
    });
    return { data: json.data.map((m) => new OrganizationMembership(this.#http, m)), totalCount: json.total_count };
  }

  /**
   * Leaves an organization. The last admin cannot leave (`organization_minimum_permissions_needed`).
   *
   * @example
   * ```ts
   * await client.leaveOrganization('org_123');
   * ```
   */
  async leaveOrganization(organizationId: string): Promise<OrganizationMembership> {
    const json = await this.#http.request<OrganizationMembershipJSON>(
      'DELETE',
      `/me/organization_memberships/${encodeURIComponent(organizationId)}`,
    );
    this.#http.emit({ kind: 'membership_removed', organizationId: json.organization.id });
    return new OrganizationMembership(this.#http, json);
  }

  /**
   * Invitations sent to the signed-in user's verified addresses; pending ones unless `status` says otherwise.
   *
   * @example
   * ```ts
   * const { data } = await client.getUserInvitations({ status: 'pending' });
   * await data[0]?.accept();
   * ```
   */
  async getUserInvitations(params: InvitationListParams = {}): Promise<PaginatedResponse<UserOrganizationInvitation>> {
    const json = await this.#http.request<PageJSON<UserOrganizationInvitationJSON>>(
      'GET',
      '/me/organization_invitations',
      { query: { ...pageQuery(params), status: listOf(params.status) } },
    );
    return {
      data: json.data.map((i) => new UserOrganizationInvitation(this.#http, i)),
      totalCount: json.total_count,
    };
  }
}

/**
 * Creates a client for a Roster server's Frontend API.
 *
 * @example
 * ```ts
 * // Browser, same site as the server: the HttpOnly cookie carries the session.
 * const client = createRosterClient({ baseUrl: 'https://roster.example.com' });
 * // Node or tests: bearer tokens, captured from sign-in responses.
 * const node = createRosterClient({ baseUrl: 'http://localhost:3000', sessionToken: null });
 * ```
 */
export function createRosterClient(options: RosterClientOptions): RosterClient {
  return new RosterClient(options);
}
