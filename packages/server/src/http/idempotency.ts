import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from './env.js';
import { toErrorResponse } from './errors.js';

/**
 * `Idempotency-Key` with Stripe's semantics (decision 023): the first answer to a key is stored
 * for 24 hours and sent again, marked `Idempotent-Replayed: true`, to every later request with the
 * same key, method, path and body from the same caller, without doing anything. Another method,
 * path or body with the key is `idempotency_key_reused`; a second request while the first still
 * runs is `idempotency_key_in_use` (409, at once: no waiting). Answers of 5xx and 429 are not
 * stored (the request may be retried with the key); other 4xx are, as Stripe does.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long a key's answer is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A run that holds its key this long without answering is taken to have died; a retry takes the key over. */
export const IDEMPOTENCY_RUN_TIMEOUT_MS = 2 * 60 * 1000;

/** Printable ASCII, 1 to 255 characters (Stripe's limit). */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;
/** The response headers a replay repeats; per-request ones (CORS, cookies, trace) come from the replaying request. */
const STORED_HEADERS = ['content-type'];

interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Who the key belongs to: the secret key (the instance, whichever of its keys is used) or the session's user. */
function callerOf(c: Context<AppEnv>): string | null {
  if (c.var.user) return `user:${c.var.user.id}`;
  if (c.var.actor?.kind === 'secret_key') return 'secret_key';
  return null;
}

/** Object keys sorted at every depth, so `{a,b}` and `{b,a}` are one body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

async function requestHash(c: Context<AppEnv>): Promise<string> {
  const text = await c.req.text(); // Hono caches it: the route has read it already
  let body: string;
  try {
    body = text.trim() === '' ? '{}' : canonicalJson(JSON.parse(text));
  } catch {
    body = `raw:${text}`;
  }
  const url = new URL(c.req.url);
  // Keyed: a body can hold a password (change_password), and a plain hash of it would be a
  // guessable record of that password for a day. (A secret-key rotation therefore makes a retry
  // across it `idempotency_key_reused`, which errs on the side of doing nothing twice.)
  return createHmac('sha256', c.var.secretKey)
    .update(`${c.req.method}\n${url.pathname}${url.search}\n${body}`)
    .digest('hex');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function replay(c: Context<AppEnv>, sealed: string): Response {
  let stored: StoredResponse;
  try {
    stored = JSON.parse(c.var.deps.secrets.open(sealed)) as StoredResponse;
  } catch (err) {
    // Sealed under a secret key no longer held (rotated past its grace): the first answer cannot
    // be shown again, and running the request again could do its work twice. Refuse clearly.
    c.var.log.warn({ err }, 'a stored Idempotency-Key answer could not be opened');
    throw new AppError('idempotency_key_reused');
  }
  c.header(REPLAYED_HEADER, 'true');
  return c.body(stored.body, stored.status as ContentfulStatusCode, stored.headers);
}

/**
 * Runs `run` under the request's Idempotency-Key (the route checked the header is there). A
 * request without a caller (no session on the Frontend API) runs as if it had no key.
 */
export async function withIdempotencyKey(c: Context<AppEnv>, run: () => Promise<Response>): Promise<Response> {
  const key = c.req.header(IDEMPOTENCY_HEADER) ?? '';
  if (!VALID_KEY.test(key))
    throw new AppError('idempotency_key_invalid', { meta: { header_name: IDEMPOTENCY_HEADER } });
  const caller = callerOf(c);
  if (!caller) return run();
  const store = c.var.idempotency;
  const now = c.var.deps.now();
  const id = sha256(`${caller}\n${key}`);
  const hash = await requestHash(c);
  const claim = randomUUID();
  const taken = await store.claimIdempotencyKey({
    record: { id, requestHash: hash, claim, createdAt: now, expiresAt: now + IDEMPOTENCY_TTL_MS },
    now,
    staleBefore: now - IDEMPOTENCY_RUN_TIMEOUT_MS,
  });
  if (!taken.claimed) {
    if (taken.record.requestHash !== hash) throw new AppError('idempotency_key_reused');
    if (taken.record.response === null) throw new AppError('idempotency_key_in_use');
    return replay(c, taken.record.response);
  }

  let res: Response;
  try {
    res = await run();
  } catch (error) {
    res = toErrorResponse(c, error); // what onError would answer; made here so it can be stored
  }
  try {
    if (res.status >= 500 || res.status === 429) {
      await store.releaseIdempotencyKey({ id, claim });
    } else {
      const headers: Record<string, string> = {};
      for (const name of STORED_HEADERS) {
        const value = res.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const stored: StoredResponse = { status: res.status, headers, body: await res.clone().text() };
      await store.completeIdempotencyKey({ id, claim, response: c.var.deps.secrets.seal(JSON.stringify(stored)) });
    }
  } catch (err) {
    // The work is done (or failed) either way: answer it. The key stays held until the run
    // timeout, after which a retry takes it over.
    c.var.log.warn({ err }, 'could not record the answer to an Idempotency-Key request');
  }
  return res;
}
