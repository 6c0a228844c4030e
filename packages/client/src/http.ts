import { RosterAPIError, type RosterErrorEntry, RosterNetworkError, RosterTimeoutError } from './errors.js';
import { ChangeEmitter, type RosterChangeEvent } from './events.js';

/** How the client reaches the Frontend API. Built once by `createRosterClient`. */
export interface TransportOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  sessionToken?: string | null;
  credentials?: 'include' | 'same-origin' | 'omit';
  timeoutMs?: number;
  headers?: Record<string, string>;
}

type Query = Record<string, string | number | readonly string[] | undefined | null>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON; a FormData is sent as multipart (the runtime sets the boundary). */
  body?: unknown;
  signal?: AbortSignal;
}

const TOKEN_HEADER = 'X-Roster-Session-Token';

/**
 * The one place that talks HTTP: base URL, credentials (cookie or bearer token), timeouts,
 * JSON, and turning error bodies into `RosterAPIError`. Resources hold a reference to it.
 */
export class Transport {
  readonly baseUrl: string;
  readonly bearer: boolean;
  readonly credentials: 'include' | 'same-origin' | 'omit';
  readonly timeoutMs: number;
  readonly events = new ChangeEmitter();
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #headers: Record<string, string>;
  #token: string | null;
  /** The current session's id, once known (from `/me` or a sign-in); used to mint session tokens. */
  sessionId: string | null = null;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const inBrowser = typeof document !== 'undefined';
    // A given token (even null) means bearer mode; otherwise browsers use the HttpOnly cookie.
    const defaultCredentials = options.sessionToken !== undefined || !inBrowser ? 'omit' : 'include';
    this.credentials = options.credentials ?? defaultCredentials;
    this.bearer = options.sessionToken !== undefined || this.credentials !== 'include';
    this.#token = options.sessionToken ?? null;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.#fetch = options.fetch;
    this.#headers = { ...options.headers };
  }

  get sessionToken(): string | null {
    return this.#token;
  }

  set sessionToken(token: string | null) {
    this.#token = token;
  }

  emit(event: RosterChangeEvent): void {
    this.events.emit(event);
  }

  url(path: string, query?: Query): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
      else search.append(key, String(value));
    }
    const qs = search.toString();
    return `${this.baseUrl}/fapi/v1${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    if (this.bearer && this.#token) headers.authorization = `Bearer ${this.#token}`;
    let body: string | FormData | undefined;
    if (typeof FormData !== 'undefined' && options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? anySignal([options.signal, timeout]) : timeout;
    const doFetch = this.#fetch ?? globalThis.fetch;
    let res: Response;
    try {
      res = await doFetch(this.url(path, options.query), {
        method,
        headers,
        credentials: this.credentials,
        signal,
        ...(body !== undefined && { body }),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (timeout.aborted) throw new RosterTimeoutError(this.timeoutMs, { cause: error });
      throw new RosterNetworkError(`Could not reach Roster at ${this.baseUrl}: ${String(error)}`, { cause: error });
    }
    if (this.bearer) {
      const token = res.headers.get(TOKEN_HEADER);
      if (token) this.#token = token;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      if (timeout.aborted) throw new RosterTimeoutError(this.timeoutMs, { cause: error });
      throw new RosterNetworkError('The connection to Roster broke while reading the answer', { cause: error });
    }
    const json = parseJson(text);
    if (!res.ok) throw apiError(res, json, text);
    if (json === undefined) {
      throw new RosterAPIError({
        status: res.status,
        errors: [unexpected(`Expected JSON from ${method} ${path}, got: ${text.slice(0, 200)}`)],
      });
    }
    return json as T;
  }
}

/** A multipart body with the one `file` field Clerk's upload endpoints take. */
export function fileForm(file: Blob): FormData {
  const form = new FormData();
  form.append('file', file);
  return form;
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unexpected(longMessage: string): RosterErrorEntry {
  return { code: 'unexpected_response', message: 'Unexpected response', longMessage, meta: {} };
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Turns one wire error entry (snake_case) into a `RosterErrorEntry`. */
export function errorEntryFrom(raw: unknown): RosterErrorEntry {
  const e = (raw ?? {}) as { code?: unknown; message?: unknown; long_message?: unknown; meta?: unknown };
  const meta: Record<string, unknown> = {};
  if (e.meta && typeof e.meta === 'object') {
    for (const [key, value] of Object.entries(e.meta)) meta[camel(key)] = value;
  }
  const message = typeof e.message === 'string' ? e.message : 'Error';
  return {
    code: typeof e.code === 'string' ? e.code : 'unexpected_response',
    message,
    longMessage: typeof e.long_message === 'string' ? e.long_message : message,
    meta,
  };
}

function retryAfterOf(res: Response): number | null {
  const value = res.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function apiError(res: Response, json: unknown, text: string): RosterAPIError {
  const body = json as { errors?: unknown; clerk_trace_id?: unknown } | undefined;
  const errors =
    body && Array.isArray(body.errors) && body.errors.length > 0
      ? body.errors.map(errorEntryFrom)
      : [unexpected(`HTTP ${res.status}: ${text.slice(0, 200) || res.statusText}`)];
  return new RosterAPIError({
    status: res.status,
    errors,
    traceId: typeof body?.clerk_trace_id === 'string' ? body.clerk_trace_id : null,
    retryAfter: retryAfterOf(res),
  });
}
