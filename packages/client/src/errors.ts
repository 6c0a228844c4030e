import type { ErrorCode } from '@roster/protocol';

/**
 * A Roster error code (`duplicate_record`, `invitation_expired`, …), or any other string a newer
 * server may send. Autocompletes the known codes.
 *
 * @example
 * ```ts
 * const code: RosterErrorCode = 'duplicate_record';
 * ```
 */
export type RosterErrorCode = ErrorCode | 'unexpected_response' | (string & {});

/**
 * One entry of an error response, camelCased like Clerk's `ClerkAPIError`.
 * `meta` keys are camelCased too (`param_name` → `paramName`, `email_address` → `emailAddress`).
 *
 * @example
 * ```ts
 * const entry: RosterErrorEntry = { code: 'duplicate_record', message: 'Duplicate record', longMessage: '…', meta: {} };
 * ```
 */
export interface RosterErrorEntry {
  code: RosterErrorCode;
  message: string;
  longMessage: string;
  meta: Record<string, unknown>;
}

/**
 * The server answered with an error status (or with something that is not Roster JSON).
 *
 * @example
 * ```ts
 * try {
 *   await organization.inviteMember({ emailAddress, role: 'org:member' });
 * } catch (err) {
 *   if (isRosterAPIError(err, 'duplicate_record')) showMessage('Already invited');
 *   else throw err;
 * }
 * ```
 */
export class RosterAPIError extends Error {
  override readonly name: string = 'RosterAPIError';
  /** The HTTP status (see the ERROR_CODES table in `@roster/protocol`). */
  readonly status: number;
  /** At least one entry; the first is the main reason. */
  readonly errors: RosterErrorEntry[];
  /** The server's `clerk_trace_id`, to find the request in its logs. */
  readonly traceId: string | null;
  /** Seconds to wait before retrying, from the `Retry-After` header (429, 503). */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    errors: RosterErrorEntry[];
    traceId?: string | null;
    retryAfter?: number | null;
  }) {
    const first = init.errors[0];
    super(first ? `${first.code}: ${first.longMessage}` : `Roster API error (HTTP ${init.status})`);
    this.status = init.status;
    this.errors = init.errors;
    this.traceId = init.traceId ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The code of the first error entry. */
  get code(): RosterErrorCode {
    return this.errors[0]?.code ?? 'unexpected_response';
  }

  /** True when any entry has `code`. */
  has(code: RosterErrorCode): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

/**
 * `organization.inviteMembers()` created some invitations but not all. `created` holds the ones
 * that were made; `errors` has one entry per refused address, with `meta.emailAddress` and
 * `meta.index` (its position in the request). `status` is 422, although the HTTP response was 200.
 *
 * @example
 * ```ts
 * try {
 *   await organization.inviteMembers({ emailAddresses, role: 'org:member' });
 * } catch (err) {
 *   if (err instanceof RosterBulkInvitationError) {
 *     console.log(err.created.length, 'sent;', err.errors.map((e) => e.meta.emailAddress), 'refused');
 *   }
 * }
 * ```
 */
export class RosterBulkInvitationError<T = unknown> extends RosterAPIError {
  override readonly name: string = 'RosterBulkInvitationError';
  /** The invitations that were created despite the errors. */
  readonly created: T[];

  constructor(init: { created: T[]; errors: RosterErrorEntry[]; traceId?: string | null }) {
    super({ status: 422, errors: init.errors, traceId: init.traceId ?? null });
    this.created = init.created;
  }
}

/**
 * The request never got an answer: DNS, connection refused, CORS refusal, offline.
 * `cause` holds the error `fetch` threw.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof RosterNetworkError) showOfflineBanner(); }
 * ```
 */
export class RosterNetworkError extends Error {
  override readonly name: string = 'RosterNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * No answer within the client's `timeoutMs` (15 s by default). A subclass of `RosterNetworkError`.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof RosterTimeoutError) retryLater(); }
 * ```
 */
export class RosterTimeoutError extends RosterNetworkError {
  override readonly name: string = 'RosterTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(`No answer from Roster within ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Any error this client throws on purpose.
 *
 * @example
 * ```ts
 * const [error, setError] = useState<RosterError | null>(null);
 * ```
 */
export type RosterError = RosterAPIError | RosterNetworkError;

/**
 * True when `error` is a `RosterAPIError`, and (if given) one of its entries has `code`.
 *
 * @example
 * ```ts
 * if (isRosterAPIError(err, 'invitation_expired')) askForANewInvitation();
 * ```
 */
export function isRosterAPIError(error: unknown, code?: RosterErrorCode): error is RosterAPIError {
  return error instanceof RosterAPIError && (code === undefined || error.has(code));
}
