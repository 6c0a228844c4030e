import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import { type Brand, DEFAULT_BRAND } from '../brand.js';
import type { AuditLogStore } from '../domain/audit/audit-log.js';
import type { ConsoleStore } from '../domain/console/store.js';
import type { Deps } from '../domain/deps.js';
import { AppError } from '../domain/errors.js';
import type { IdempotencyStore } from '../domain/idempotency/store.js';
import type { MailSettings } from '../email/mail-settings.js';
import type { PreviousSecretKey } from '../secret-keys.js';
import type { SigningKeys } from '../signing-keys.js';
import { registerBackendAuditLogRoutes, registerFrontendAuditLogRoutes } from './audit-log.js';
import { registerAppInvitationRoutes } from './backend/app-invitations.js';
import { registerEmailAddressRoutes } from './backend/email-addresses.js';
import { registerInstanceListRoutes } from './backend/instance-lists.js';
import { registerInstanceSettingsRoutes } from './backend/instance-settings.js';
import { registerInvitationRoutes } from './backend/invitations.js';
import { registerMembershipRequestRoutes } from './backend/membership-requests.js';
import { registerMembershipRoutes } from './backend/memberships.js';
import { registerOrgDomainRoutes } from './backend/org-domains.js';
import { registerOrganizationRoutes } from './backend/organizations.js';
import { registerRoleSetRoutes } from './backend/role-sets.js';
import { registerRoleRoutes } from './backend/roles.js';
import { registerSessionRoutes } from './backend/sessions.js';
import { registerUserAdminRoutes } from './backend/user-admin.js';
import { registerUserRoutes } from './backend/users.js';
import { registerWebhookRoutes } from './backend/webhooks.js';
import { registerBrandRoutes } from './brand.js';
import { clientIp } from './client-ip.js';
import { registerConsole } from './console/console.js';
import { registerDocs } from './docs.js';
import type { AppEnv } from './env.js';
import { errorEntry, toErrorResponse } from './errors.js';
import { registerFrontendRoutes } from './frontend/index.js';
import { registerSessionTokenRoutes } from './frontend/session-tokens.js';
import { htmlSecurityHeaders } from './html-security.js';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER } from './idempotency.js';
import { isUploadPath, registerImageRoutes, UPLOAD_BODY_BYTES } from './images.js';
import { registerAcceptInvitationPage } from './pages/accept-invitation.js';
import { registerAccountPage } from './pages/account.js';
import { registerSignUpPages } from './pages/sign-up.js';
import type { RateLimits } from './rate-limits.js';
import { redactUrl } from './redact.js';
import { requestContext } from './request-context.js';
import { allowedMethods } from './route.js';
import { loadSession, requireSameOrigin, requireSecretKey } from './session.js';

/** Response headers a browser app on an allowed origin may read. */
const CORS_EXPOSED_HEADERS = ['X-Roster-Session-Token', 'Retry-After', REPLAYED_HEADER];

export interface AppOptions {
  deps: Deps;
  log: Logger;
  limits: RateLimits;
  secretKey: string;
  /** Keys the secret key replaced: the Backend API accepts each until it expires (by `deps.now`). */
  previousSecretKeys?: readonly PreviousSecretKey[];
  /** Signs short-lived session tokens (kept in the database per secret key; decision 025). */
  signingKeys: SigningKeys;
  /** Answers when the database does (for /healthz). */
  ping: () => Promise<void>;
  /** Keeps the answers to requests sent with an Idempotency-Key (decision 023). */
  idempotency: IdempotencyStore;
  /** The audit log's reads (the events table). */
  auditLog: AuditLogStore;
  /** The operator console's keyset lists (users, organizations, events). */
  consoleStore: ConsoleStore;
  /** The SMTP server set in the console over the environment's (decision 043). */
  mailSettings: MailSettings;
  /** The instance's language (`ROSTER_LOCALE`, default English): hosted pages fall back to it. */
  locale?: string;
  /** The instance's name, colour and logo on hosted pages (decision 050). Default: none, Roster's blue. */
  brand?: Brand;
  trustProxy?: boolean;
  /** Where a user lands after joining when the invitation has no redirect_url. Default: the account page. */
  afterAcceptUrl?: string;
  /** Extra routes (the dev mailbox in development). */
  extraRoutes?: (app: OpenAPIHono<AppEnv>) => void;
  maxBodyBytes?: number;
  /** Called after each request that may have written (any method but GET, HEAD, OPTIONS) is answered. */
  afterWrite?: () => void;
}

/**
 * The whole HTTP surface: Backend API (/v1), Frontend API (/fapi/v1), hosted pages, docs.
 * Routes are thin; each calls one domain function and serializes the result.
 */
export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const ip = (c: Context<AppEnv>) => clientIp(c, options.trustProxy ?? false);
  const afterAcceptUrl = options.afterAcceptUrl ?? `${options.deps.settings.publicUrl}/account`;

  // One access-log line per request. Every line logged while handling it (errors included) carries
  // the request's trace_id, which is also the `clerk_trace_id` of an error body. The query is
  // redacted; headers and bodies are never logged.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const traceId = randomUUID();
    const log = options.log.child({ trace_id: traceId });
    c.set('deps', options.deps);
    c.set('limits', options.limits);
    c.set('secretKey', options.secretKey);
    c.set('previousSecretKeys', options.previousSecretKeys ?? []);
    c.set('traceId', traceId);
    c.set('idempotency', options.idempotency);
    c.set('auditLog', options.auditLog);
    c.set('consoleStore', options.consoleStore);
    c.set('mailSettings', options.mailSettings);
    c.set('locale', options.locale ?? 'en');
    c.set('brand', options.brand ?? DEFAULT_BRAND);
    c.set('log', log);
    c.set('session', null);
    c.set('user', null);
    try {
      const context = {
        ip: ip(c),
        userAgent: c.req.header('user-agent') ?? null,
        requestId: traceId,
        actor: () => c.get('actor'),
      };
      await requestContext.run(context, next);
    } catch (error) {
      // Hono hands only Error instances to onError; anything else thrown (a string, a plain
      // object) would escape without the error envelope or a logged cause.
      c.res = toErrorResponse(c, error);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') options.afterWrite?.();
    log.info(
      {
        method: c.req.method,
        path: redactUrl(c.req.url),
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  app.onError((error, c) => toErrorResponse(c, error));
  const ownOrigins = [new URL(options.deps.settings.publicUrl).origin, ...options.deps.settings.allowedOrigins];
  app.use('*', htmlSecurityHeaders({ formOrigins: ownOrigins }));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // A path some route has, asked with another method: 405 with the methods it does answer.
    const allow = allowedMethods(app, path);
    if (allow.length > 0) {
      c.header('Allow', allow.join(', '));
      const entry = errorEntry('method_not_allowed', { method: c.req.method.slice(0, 16), allow });
      return c.json({ errors: [entry], clerk_trace_id: c.var.traceId }, 405);
    }
    return c.json(
      { errors: [errorEntry('resource_not_found', { path: path.slice(0, 256) })], clerk_trace_id: c.var.traceId },
      404,
    );
  });
  const maxBodyBytes = options.maxBodyBytes ?? 512 * 1024;
  const limitStreamedBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new AppError('request_body_too_large');
    },
  });
  const limitStreamedUpload = bodyLimit({
    maxSize: UPLOAD_BODY_BYTES,
    onError: () => {
      throw new AppError('request_body_too_large');
    },
  });
  app.use('*', async (c, next) => {
    // Hono's bodyLimit reads `c.req.raw.body`, which makes @hono/node-server build a web Request
    // and stream for every request, and then the body is read through them. A declared length is
    // checked from the header instead, so the body is read straight off the socket; only chunked
    // bodies go through bodyLimit's counting reader.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const upload = isUploadPath(c.req.path);
    const limit = upload ? UPLOAD_BODY_BYTES : maxBodyBytes;
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > limit) throw new AppError('request_body_too_large');
      return next();
    }
    return (upload ? limitStreamedUpload : limitStreamedBody)(c, next);
  });

  app.get('/healthz', async (c) => {
    await options.ping();
    return c.json({ status: 'ok' });
  });

  app.use('/v1/*', requireSecretKey);
  registerUserRoutes(app);
  registerUserAdminRoutes(app);
  registerEmailAddressRoutes(app);
  registerOrganizationRoutes(app);
  registerMembershipRoutes(app);
  registerInvitationRoutes(app);
  registerInstanceListRoutes(app);
  registerAppInvitationRoutes(app);
  registerSessionRoutes(app);
  registerWebhookRoutes(app);
  registerOrgDomainRoutes(app);
  registerMembershipRequestRoutes(app);
  registerBackendAuditLogRoutes(app);
  registerRoleRoutes(app);
  registerInstanceSettingsRoutes(app);
  registerRoleSetRoutes(app);

  const corsOrigins = ownOrigins;
  const corsGrant = cors({
    origin: (origin) => origin,
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization', IDEMPOTENCY_HEADER],
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  // Only the public URL and configured origins get CORS headers; any other origin gets none at all
  // (no Allow-Credentials either), and its preflight an empty answer the browser treats as a refusal.
  // Preflights go through Hono's cors. Actual requests get the same headers set before the route
  // answers: Hono's cors sets them on `c.res` first, which makes the route's response be copied
  // into a new one (body stream included) on every request.
  app.use('/fapi/*', async (c, next) => {
    const origin = c.req.header('origin');
    const granted = origin !== undefined && corsOrigins.includes(origin);
    if (c.req.method === 'OPTIONS') {
      if (granted) return corsGrant(c, next);
      if (c.req.header('access-control-request-method')) return c.body(null, 204, { Vary: 'Origin' });
    }
    if (granted) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(','));
    }
    c.header('Vary', 'Origin', { append: true });
    await next();
  });
  app.use('/fapi/*', loadSession, requireSameOrigin);
  registerFrontendRoutes(app, { ip, afterAcceptUrl });
  registerFrontendAuditLogRoutes(app);
  registerSessionTokenRoutes(app, options.signingKeys);
  registerBrandRoutes(app);
  registerImageRoutes(app); // after both APIs' guards: secret key on /v1, session and same-origin on /fapi

  app.use('/accept-invitation', loadSession);
  app.use('/account/*', loadSession); // matches /account itself too: one session read per request
  registerAcceptInvitationPage(app, { ip, afterAcceptUrl });
  registerAccountPage(app, { ip });
  app.use('/sign-up/*', loadSession);
  registerSignUpPages(app, { ip });
  registerConsole(app, { ip });
  registerDocs(app);
  options.extraRoutes?.(app);

  app.get('/', (c) =>
    c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roster</title></head><body style="font:16px system-ui;max-width:40rem;margin:10vh auto;padding:0 1rem"><h1>Roster</h1><p>Organizations, memberships and email invitations.</p><ul><li><a href="/docs">API reference</a> (<a href="/openapi.json">openapi.json</a>)</li><li><a href="/account">Your account</a></li><li><a href="/dev/mailbox">Dev mailbox</a> (development only)</li><li><a href="/healthz">Health</a></li></ul></body></html>',
    ),
  );
  return app;
}
