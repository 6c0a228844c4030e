import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import type { Deps } from '../domain/deps.js';
import { AppError } from '../domain/errors.js';
import { registerInvitationRoutes } from './backend/invitations.js';
import { registerMembershipRoutes } from './backend/memberships.js';
import { registerOrganizationRoutes } from './backend/organizations.js';
import { registerUserRoutes } from './backend/users.js';
import { clientIp } from './client-ip.js';
import { registerDocs } from './docs.js';
import type { AppEnv } from './env.js';
import { errorEntry, toErrorResponse } from './errors.js';
import { registerFrontendRoutes } from './frontend/index.js';
import { registerAcceptInvitationPage } from './pages/accept-invitation.js';
import { registerAccountPage } from './pages/account.js';
import type { RateLimits } from './rate-limits.js';
import { redactUrl } from './redact.js';
import { loadSession, requireSameOrigin, requireSecretKey } from './session.js';

export interface AppOptions {
  deps: Deps;
  log: Logger;
  limits: RateLimits;
  secretKey: string;
  /** Answers when the database does (for /healthz). */
  ping: () => Promise<void>;
  trustProxy?: boolean;
  /** Where a user lands after joining when the invitation has no redirect_url. Default: the account page. */
  afterAcceptUrl?: string;
  /** Extra routes (the dev mailbox in development). */
  extraRoutes?: (app: OpenAPIHono<AppEnv>) => void;
  maxBodyBytes?: number;
}

/**
 * The whole HTTP surface: Backend API (/v1), Frontend API (/fapi/v1), hosted pages, docs.
 * Routes are thin; each calls one domain function and serializes the result.
 */
export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const ip = (c: Context<AppEnv>) => clientIp(c, options.trustProxy ?? false);
  const afterAcceptUrl = options.afterAcceptUrl ?? `${options.deps.settings.publicUrl}/account`;

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('deps', options.deps);
    c.set('limits', options.limits);
    c.set('secretKey', options.secretKey);
    c.set('traceId', randomUUID());
    c.set('log', options.log);
    c.set('session', null);
    c.set('user', null);
    await next();
    options.log.info(
      {
        method: c.req.method,
        path: redactUrl(c.req.url),
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
        trace_id: c.var.traceId,
      },
      'request',
    );
  });
  app.onError((error, c) => toErrorResponse(c, error));
  app.notFound((c) =>
    c.json(
      {
        errors: [errorEntry('resource_not_found', { path: new URL(c.req.url).pathname.slice(0, 256) })],
        clerk_trace_id: c.var.traceId,
      },
      404,
    ),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 512 * 1024,
      onError: () => {
        throw new AppError('request_body_too_large');
      },
    }),
  );

  app.get('/healthz', async (c) => {
    await options.ping();
    return c.json({ status: 'ok' });
  });

  app.use('/v1/*', requireSecretKey);
  registerUserRoutes(app);
  registerOrganizationRoutes(app);
  registerMembershipRoutes(app);
  registerInvitationRoutes(app);

  app.use(
    '/fapi/*',
    cors({
      origin: (origin) =>
        [new URL(options.deps.settings.publicUrl).origin, ...options.deps.settings.allowedOrigins].includes(origin)
          ? origin
          : null,
      credentials: true,
      allowHeaders: ['Content-Type', 'Authorization'],
      allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      exposeHeaders: ['X-Roster-Session-Token', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use('/fapi/*', loadSession, requireSameOrigin);
  registerFrontendRoutes(app, { ip, afterAcceptUrl });

  app.use('/accept-invitation', loadSession);
  app.use('/account', loadSession);
  app.use('/account/*', loadSession);
  registerAcceptInvitationPage(app, { ip, afterAcceptUrl });
  registerAccountPage(app, { ip });
  registerDocs(app);
  options.extraRoutes?.(app);

  app.get('/', (c) =>
    c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roster</title></head><body style="font:16px system-ui;max-width:40rem;margin:10vh auto;padding:0 1rem"><h1>Roster</h1><p>Organizations, memberships and email invitations.</p><ul><li><a href="/docs">API reference</a> (<a href="/openapi.json">openapi.json</a>)</li><li><a href="/account">Your account</a></li><li><a href="/dev/mailbox">Dev mailbox</a> (development only)</li><li><a href="/healthz">Health</a></li></ul></body></html>',
    ),
  );
  return app;
}
