import type { OpenAPIHono } from '@hono/zod-openapi';
import { type SessionWithActivitiesJSON, sessionWithActivitiesJSON } from '@roster/protocol';
import Bowser from 'bowser';
import { z } from 'zod';
import type { Session } from '../../domain/records.js';
import { listOwnSessions, revokeOwnSession } from '../../domain/sessions/sessions.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const tags = ['Sessions'];
const sessionParams = z.object({ session_id: z.string().max(64) });

/** The session as Clerk's `SessionWithActivities`: where it was started, read from its user agent. */
function withActivity(session: Session, status: 'active' | 'revoked' = 'active'): SessionWithActivitiesJSON {
  const ua = session.userAgent ? Bowser.parse(session.userAgent) : null;
  const platform = ua?.platform.type ?? null;
  const device = ua ? [ua.os.name, platform && platform !== 'desktop' ? platform : null].filter(Boolean).join(' ') : '';
  return {
    object: 'session',
    id: session.id,
    status,
    expire_at: session.expiresAt,
    abandon_at: session.expiresAt,
    last_active_at: session.lastActiveAt,
    latest_activity: {
      object: 'session_activity',
      id: `sess_activity_${session.id.replace(/^sess_/, '')}`,
      browser_name: ua?.browser.name ?? null,
      browser_version: ua?.browser.version ?? null,
      device_type: device || null,
      ip_address: session.clientIp,
      city: null,
      country: null,
      is_mobile: platform === 'mobile' || platform === 'tablet',
    },
    actor: null,
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

/** The signed-in user's own sessions (Clerk's `user.getSessions()` and `session.revoke()`). */
export function registerMySessionRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/me/sessions/active',
      summary: 'My live sessions (devices), most recently active first',
      tags,
      response: z.array(sessionWithActivitiesJSON),
      security: 'session',
    },
    async (c, { user }) => (await listOwnSessions(c.var.deps, user.id)).map((s) => withActivity(s)),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/me/sessions/:session_id/revoke',
      summary: 'Sign out of one of my sessions',
      tags,
      params: sessionParams,
      response: sessionWithActivitiesJSON,
      security: 'session',
      idempotent: false,
    },
    async (c, { params, user }) =>
      withActivity(await revokeOwnSession(c.var.deps, user.id, params.session_id), 'revoked'),
  );
}
