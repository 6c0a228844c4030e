import type {
  AuthResultJSON,
  InvitationPreviewJSON,
  InvitationStatus,
  OrganizationMembershipJSON,
  RoleKey,
} from '@roster/protocol';
import type { Transport } from './http.js';
import { OrganizationMembership } from './resources/organization-membership.js';
import { Session } from './resources/session.js';
import { User } from './resources/user.js';
import { type PublicOrganizationData, publicOrganizationDataOf } from './resources/user-organization-invitation.js';
import { dateOf } from './types.js';

/**
 * A finished sign-in or sign-up: the user, the new session, and (from an invitation link) the
 * membership it created and where to send the user next.
 *
 * @example
 * ```ts
 * const { user, session } = await client.signIn.create({ identifier: 'ada@example.com', password });
 * ```
 */
export interface SignedIn {
  status: 'complete';
  user: User;
  session: Session;
  organizationMembership: OrganizationMembership | null;
  redirectUrl: string | null;
}

/**
 * A sign-up waiting for the emailed code.
 *
 * @example
 * ```ts
 * const started = await client.signUp.create({ emailAddress, password });
 * started.status; // 'needs_email_verification'
 * ```
 */
export interface SignUpStarted {
  status: 'needs_email_verification';
  emailAddress: string;
  /** Binds the code to this client: only the client that started a sign-up can finish it. */
  signUpId: string | null;
}

/**
 * A password reset on its way: the code is mailed (`needs_first_factor`), or it came back and a
 * new password is wanted (`needs_new_password`).
 *
 * @example
 * ```ts
 * const step = await client.signIn.create({ identifier, strategy: 'reset_password_email_code' });
 * step.status; // 'needs_first_factor'
 * ```
 */
export interface SignInStarted {
  status: 'needs_first_factor' | 'needs_new_password';
  emailAddress: string;
}

/**
 * What an invitation link is for, read without acting on it. `nextStep` tells the page which
 * form to show: `sign_up`, `sign_in`, `accept` (signed in as the invitee), `wrong_account`, or
 * `none` (the invitation is no longer pending).
 *
 * @example
 * ```ts
 * const preview = await client.tickets.preview(ticket);
 * if (preview.nextStep === 'sign_up') showSignUpForm(preview.emailAddress);
 * ```
 */
export interface InvitationPreview {
  status: InvitationStatus;
  emailAddress: string;
  role: RoleKey;
  roleName: string;
  organization: PublicOrganizationData;
  inviterName: string | null;
  expiresAt: Date;
  nextStep: InvitationPreviewJSON['next_step'];
  signedInAs: string | null;
  /**
   * True when signing up from this link mails a code to the invited address first: the link was
   * shown to someone other than that mailbox (the Backend API's `url`), so it proves nothing.
   */
  signUpNeedsEmailCode: boolean;
}

function signedIn(http: Transport, json: AuthResultJSON): SignedIn {
  if (json.status !== 'complete' || !json.user || !json.session) {
    throw new Error(`Roster answered '${json.status}' where a completed sign-in was expected`);
  }
  const membership = json.organization_membership
    ? new OrganizationMembership(http, json.organization_membership)
    : null;
  http.sessionId = json.session.id;
  http.emit({ kind: 'signed_in', organizationId: membership?.organization.id ?? null });
  return {
    status: 'complete',
    user: new User(json.user, http),
    session: new Session(json.session),
    organizationMembership: membership,
    redirectUrl: json.redirect_url,
  };
}

/**
 * The browser's language (`navigator.language`) when it is a plain language tag; none outside a
 * browser (Node 21+ has a `navigator` too, whose language says nothing about the person).
 */
function browserLocale(): string | undefined {
  const g = globalThis as { navigator?: { language?: unknown }; document?: unknown };
  if (g.document === undefined) return undefined;
  const language = g.navigator?.language;
  return typeof language === 'string' && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language) && language.length <= 35
    ? language
    : undefined;
}

/**
 * Sign-up with an emailed code: `create` sends the code, `verify` checks it and signs in.
 *
 * @example
 * ```ts
 * await client.signUp.create({ emailAddress: 'ada@example.com', password: 'a long password' });
 * await client.signUp.verify({ code: '123456' }); // the code from the email
 * ```
 */
export class SignUp {
  readonly #http: Transport;
  /** The sign-up this client started last; `verify` finishes it unless given another id. */
  #signUpId: string | null = null;
  constructor(http: Transport) {
    this.#http = http;
  }

  /**
   * Starts a sign-up; the server emails a six-digit code. `locale` (BCP 47, as Clerk's) is the
   * language of that mail and of the account's later ones; in a browser it defaults to the
   * browser's language, as clerk-js does.
   */
  async create(params: {
    emailAddress: string;
    password: string;
    firstName?: string;
    lastName?: string;
    locale?: string;
  }): Promise<SignUpStarted> {
    const locale = params.locale ?? browserLocale();
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ups', {
      body: {
        email_address: params.emailAddress,
        password: params.password,
        first_name: params.firstName ?? null,
        last_name: params.lastName ?? null,
        ...(locale && { locale }),
      },
    });
    this.#signUpId = json.sign_up_id ?? null;
    return {
      status: 'needs_email_verification',
      emailAddress: json.email_address ?? params.emailAddress,
      signUpId: this.#signUpId,
    };
  }

  /**
   * Checks the emailed code for the sign-up this client started (or `signUpId`): creates the user
   * with a verified address and signs in. `emailAddress` is accepted for older callers and unused.
   */
  async verify(params: { code: string; emailAddress?: string; signUpId?: string }): Promise<SignedIn> {
    const signUpId = params.signUpId ?? this.#signUpId;
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ups/verify', {
      body: { code: params.code, ...(signUpId && { sign_up_id: signUpId }) },
    });
    this.#signUpId = null;
    return signedIn(this.#http, json);
  }
}

/**
 * Sign-in with email and password.
 *
 * @example
 * ```ts
 * await client.signIn.create({ identifier: 'ada@example.com', password: 'a long password' });
 * ```
 */
export class SignIn {
  readonly #http: Transport;
  constructor(http: Transport) {
    this.#http = http;
  }

  /** The sign-in this client started last (a password reset); the steps below go on with it. */
  #signInId: string | null = null;

  /** Signs in; a wrong password is `form_password_incorrect`. */
  async create(params: { identifier: string; password: string }): Promise<SignedIn>;
  /**
   * Starts a password reset: mails a code to the address if it has an account (the answer is the
   * same either way). Then `attemptFirstFactor` with the code, then `resetPassword`.
   */
  async create(params: { identifier: string; strategy: 'reset_password_email_code' }): Promise<SignInStarted>;
  async create(
    params: { identifier: string; password: string } | { identifier: string; strategy: 'reset_password_email_code' },
  ): Promise<SignedIn | SignInStarted> {
    if ('password' in params) {
      const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ins', {
        body: { identifier: params.identifier, password: params.password },
      });
      return signedIn(this.#http, json);
    }
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ins', {
      body: { identifier: params.identifier },
    });
    this.#signInId = json.sign_in_id ?? null;
    return this.prepareFirstFactor({ strategy: params.strategy });
  }

  /** Mails a (new) reset code for the started sign-in. */
  async prepareFirstFactor(params: { strategy: 'reset_password_email_code' }): Promise<SignInStarted> {
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ins/prepare_first_factor', {
      body: { sign_in_id: this.#signInId ?? undefined, strategy: params.strategy },
    });
    return started(json);
  }

  /** Sends back the mailed code; the sign-in then `needs_new_password`. */
  async attemptFirstFactor(params: { strategy: 'reset_password_email_code'; code: string }): Promise<SignInStarted> {
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ins/attempt_first_factor', {
      body: { sign_in_id: this.#signInId ?? undefined, strategy: params.strategy, code: params.code },
    });
    return started(json);
  }

  /** Sets the new password and signs in; every other session of the account ends. */
  async resetPassword(params: { password: string; signOutOfOtherSessions?: boolean }): Promise<SignedIn> {
    const json = await this.#http.request<AuthResultJSON>('POST', '/client/sign_ins/reset_password', {
      body: {
        sign_in_id: this.#signInId ?? undefined,
        password: params.password,
        sign_out_of_other_sessions: params.signOutOfOtherSessions ?? true,
      },
    });
    this.#signInId = null;
    return signedIn(this.#http, json);
  }
}

function started(json: AuthResultJSON): SignInStarted {
  return {
    status: json.status === 'needs_new_password' ? 'needs_new_password' : 'needs_first_factor',
    emailAddress: json.email_address ?? '',
  };
}

/**
 * Invitation links (`?ticket=…`): preview, accept as the signed-in user, or sign up / sign in
 * from the link (which joins the organization at once).
 *
 * @example
 * ```ts
 * const ticket = new URL(location.href).searchParams.get('ticket')!;
 * const preview = await client.tickets.preview(ticket);
 * if (preview.nextStep === 'accept') await client.tickets.accept(ticket);
 * ```
 */
export class Tickets {
  readonly #http: Transport;
  /** The sign-up from a shown link this client started last; `verify` finishes it. */
  #signUpId: string | null = null;
  constructor(http: Transport) {
    this.#http = http;
  }

  /** Reads what the link is for; changes nothing. */
  async preview(ticket: string): Promise<InvitationPreview> {
    const json = await this.#http.request<InvitationPreviewJSON>('GET', '/tickets/preview', { query: { ticket } });
    return {
      status: json.status,
      emailAddress: json.email_address,
      role: json.role,
      roleName: json.role_name,
      organization: publicOrganizationDataOf(json.organization),
      inviterName: json.inviter_name,
      expiresAt: dateOf(json.expires_at),
      nextStep: json.next_step,
      signedInAs: json.signed_in_as,
      signUpNeedsEmailCode: json.sign_up_needs_email_code,
    };
  }

  /** Accepts the link as the signed-in user (who must own the invited address). */
  async accept(ticket: string): Promise<OrganizationMembership> {
    const json = await this.#http.request<OrganizationMembershipJSON>('POST', '/tickets/accept', { body: { ticket } });
    const membership = new OrganizationMembership(this.#http, json);
    this.#http.emit({ kind: 'invitation_accepted', organizationId: membership.organization.id });
    return membership;
  }

  /**
   * Creates an account from the link. From the mailed link: verified address, membership and
   * session at once (`complete`). From a link someone else was shown (`preview.signUpNeedsEmailCode`):
   * a code is mailed to the invited address first (`needs_email_verification`); finish with
   * `verify({ code })`.
   */
  async signUp(params: {
    ticket: string;
    password: string;
    firstName?: string;
    lastName?: string;
  }): Promise<SignedIn | SignUpStarted> {
    const json = await this.#http.request<AuthResultJSON>('POST', '/tickets/sign_up', {
      body: {
        ticket: params.ticket,
        password: params.password,
        first_name: params.firstName ?? null,
        last_name: params.lastName ?? null,
      },
    });
    if (json.status === 'needs_email_verification') {
      this.#signUpId = json.sign_up_id ?? null;
      return { status: 'needs_email_verification', emailAddress: json.email_address ?? '', signUpId: this.#signUpId };
    }
    return signedIn(this.#http, json);
  }

  /** Finishes a sign-up from a shown link with the mailed code: the account, then the membership and session. */
  async verify(params: { code: string; signUpId?: string }): Promise<SignedIn> {
    const signUpId = params.signUpId ?? this.#signUpId;
    const json = await this.#http.request<AuthResultJSON>('POST', '/tickets/sign_up/verify', {
      body: { code: params.code, ...(signUpId && { sign_up_id: signUpId }) },
    });
    this.#signUpId = null;
    return signedIn(this.#http, json);
  }

  /** Signs in as the invited address and accepts the link. */
  async signIn(params: { ticket: string; password: string }): Promise<SignedIn> {
    const json = await this.#http.request<AuthResultJSON>('POST', '/tickets/sign_in', {
      body: { ticket: params.ticket, password: params.password },
    });
    return signedIn(this.#http, json);
  }
}
