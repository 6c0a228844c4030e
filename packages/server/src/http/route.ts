import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import type { UserActor } from '../domain/memberships/policy.js';
import type { Session, UserWithEmails } from '../domain/records.js';
import type { AppEnv } from './env.js';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER, withIdempotencyKey } from './idempotency.js';

/**
 * Declares a JSON route once: the OpenAPI document gets its schemas, and the handler gets its
 * parameters, query and body already validated. Validation is ours rather than the framework's
 * so every failure has the same Clerk-shaped body, an empty body reads as `{}`, and repeated
 * query keys (`status=a&status=b`) arrive as arrays.
 */
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Who may call a route: the secret key (the default), a signed-in user, anyone with or without a
 * session (`optional_session`: the handler reads `c.var.user`, which may be null), or anyone.
 */
export type Security = 'secret_key' | 'session' | 'optional_session' | 'none';

/** The OpenAPI security requirement of a route (`{}` marks a session as optional). */
function securityRequirement(security: Security | undefined): Record<string, string[]>[] | undefined {
  if (security === 'none') return undefined;
  if (security === 'session') return [{ session: [] }];
  if (security === 'optional_session') return [{ session: [] }, {}];
  return [{ secretKey: [] }];
}

export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  S extends Security = Security,
> {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /**
   * `session` routes are refused with `session_invalid` when signed out, before anything of the
   * request is read, and their handlers get the signed-in `user`, `session` and `actor`.
   */
  security?: S;
  /**
   * Honours `Idempotency-Key` (decision 023). Default: every POST with a caller (security other
   * than `none`); set false where an answer must not be replayed (one that sets cookies or mints tokens).
   */
  idempotent?: boolean;
}

const IDEMPOTENCY_PARAMETER = {
  name: IDEMPOTENCY_HEADER,
  in: 'header',
  required: false,
  description:
    'Up to 255 printable ASCII characters. The first answer to a key is kept for 24 hours and sent again (with `Idempotent-Replayed: true`) for the same method, path and body from the same caller; another request with the key is `idempotency_key_reused` (422), one while the first runs `idempotency_key_in_use` (409). 5xx and 429 answers are not kept.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
} as const;

/** What a `security: 'session'` handler gets besides its input: the caller, never null. */
export interface SignedIn {
  user: UserWithEmails;
  session: Session;
  actor: UserActor;
}

export type RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, S extends Security = Security> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
} & ([S] extends ['session'] ? SignedIn : unknown);

/** The signed-in caller (as loaded by `loadSession`), or `session_invalid`. */
export function signedIn(c: Context<AppEnv>): SignedIn {
  const { user, session } = c.var;
  if (!user || !session) throw new AppError('session_invalid');
  return { user, session, actor: { kind: 'user', userId: user.id, user } };
}

/** `application/json` or a `+json` type, parameters aside (`text/plain; x=application/json` is not JSON). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/** Reads a JSON body: empty means `{}`; anything else must be sent as JSON and be JSON. */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw new AppError('unsupported_content_type');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed_request_body');
  }
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

function readQuery(c: Context<AppEnv>, schema: z.ZodType | undefined): Record<string, unknown> {
  const all = c.req.queries();
  const shape = schema && schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(all)) {
    const field = shape[key];
    out[key] = field && unwrap(field) instanceof z.ZodArray ? values : values[0];
  }
  return out;
}

/**
 * Path parameters: a segment that cannot be an id (too long, say) names nothing, so it is
 * `resource_not_found` (404) like any id that matches no record, not a 422 about the URL.
 */
const ID_SEGMENT = /^[A-Za-z0-9_:-]+$/;

export function readParams<P extends z.ZodType>(schema: P, raw: Record<string, string>): z.output<P> {
  // Ids and slugs are [A-Za-z0-9_-], keys add `:` (`org:admin`, `role_set:default`); anything else
  // (NUL bytes, unicode, dots) names nothing.
  const odd = Object.entries(raw).find(([, value]) => !ID_SEGMENT.test(value));
  if (odd) throw new AppError('resource_not_found', { meta: { param_name: odd[0] } });
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const paramName = parsed.error.issues[0]?.path.map(String).join('.');
  throw new AppError('resource_not_found', { meta: { ...(paramName && { param_name: paramName }) } });
}

export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  S extends Security = 'secret_key',
>(
  app: OpenAPIHono<AppEnv>,
  spec: RouteSpec<P, Q, B, R, S>,
  handler: (c: Context<AppEnv>, input: RouteInput<P, Q, B, S>) => Promise<z.input<R> | Response>,
): void {
  const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
  const idempotent = spec.idempotent ?? (spec.method === 'post' && spec.security !== 'none');
  app.openAPIRegistry.registerPath({
    method: spec.method,
    path: openApiPath,
    summary: spec.summary,
    tags: spec.tags,
    ...(idempotent && { parameters: [IDEMPOTENCY_PARAMETER] }),
    ...(spec.security !== 'none' && { security: securityRequirement(spec.security) }),
    request: {
      ...(spec.params && { params: spec.params as never }),
      ...(spec.query && { query: spec.query as never }),
      ...(spec.body && { body: { content: { 'application/json': { schema: spec.body } }, required: true } }),
    },
    responses: {
      200: {
        description: 'Success',
        content: { 'application/json': { schema: spec.response } },
        ...(idempotent && {
          headers: {
            [REPLAYED_HEADER]: {
              description: 'Present on an answer replayed for an Idempotency-Key.',
              schema: { type: 'string', enum: ['true'] },
            },
          },
        }),
      },
      default: {
        description: 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
      },
    },
  });
  app.on(spec.method.toUpperCase(), spec.path, async (c) => {
    // Signed out: `session_invalid` before the parameters or the body are read.
    const caller = spec.security === 'session' ? signedIn(c) : undefined;
    const params = spec.params ? readParams(spec.params, c.req.param()) : {};
    const query = spec.query ? spec.query.parse(readQuery(c, spec.query)) : {};
    const body = spec.body ? spec.body.parse(await readJson(c)) : undefined;
    const run = async () => {
      const result = await handler(c, { params, query, body, ...caller } as RouteInput<P, Q, B, S>);
      return result instanceof Response ? result : c.json(result as object, 200);
    };
    // Checked after validation, so a request refused for its input stores nothing (as Stripe).
    if (idempotent && c.req.header(IDEMPOTENCY_HEADER) !== undefined) return withIdempotencyKey(c, run);
    return run();
  });
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const matchers = new WeakMap<object, { method: string; pattern: RegExp }[]>();

/**
 * The methods some route answers on `path` (for a 405's `Allow` header); empty when no route has
 * the path at all. GET routes answer HEAD too. Middleware (`app.use`) is not a route.
 */
export function allowedMethods(app: OpenAPIHono<AppEnv>, path: string): string[] {
  let routes = matchers.get(app);
  if (!routes) {
    routes = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method.toUpperCase(),
        pattern: new RegExp(
          `^${r.path
            .split('/')
            .map((part) =>
              part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('/')}$`,
        ),
      }));
    matchers.set(app, routes);
  }
  const found = new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method));
  if (found.has('GET')) found.add('HEAD');
  return METHOD_ORDER.filter((m) => found.has(m));
}
