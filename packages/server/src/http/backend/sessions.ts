import type { OpenAPIHono } from '@hono/zod-openapi';
import { type BackendSessionJSON, backendSessionJSON, pageJSON, paginationQuery } from '@roster/protocol';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { Session } from '../../domain/records.js';
import { getSession, listSessions, revokeSession } from '../../domain/sessions/sessions.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

const tags = ['Sessions'];
const sessionParams = z.object({ session_id: z.string().max(64) });

/** Each Roster session is its own client: the client id is derived from the session id and back. */
const clientIdOf = (sessionId: string) => `client_${sessionId.replace(/^sess_/, '')}`;
const sessionIdOfClient = (clientId: string) => `sess_${clientId.replace(/^client_/, '')}`;

function toJSON(session: Session, now: number, status?: BackendSessionJSON['status']): BackendSessionJSON {
  return {
    object: 'session',
    id: session.id,
    user_id: session.userId,
    client_id: clientIdOf(session.id),
    actor: null,
    status: status ?? (session.expiresAt <= now ? 'expired' : 'active'),
    last_active_organization_id: session.activeOrganizationId,
    last_active_at: session.lastActiveAt,
    expire_at: session.expiresAt,
    // Roster's sessions slide; none has a separate absolute end, so it abandons when it expires.
    abandon_at: session.expiresAt,
    updated_at: session.lastActiveAt,
    created_at: session.createdAt,
    tasks: null,
  };
}

const listQuery = paginationQuery
  .extend({
    user_id: z.string().max(64).optional(),
    client_id: z.string().max(64).optional(),
    status: z.enum(['active', 'expired']).optional(),
    // @clerk/backend always asks for a page (`paginated=true`); without it Clerk answers a bare array.
    paginated: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** Backend API sessions (Clerk's `/v1/sessions`): list a user's or a client's, get one, revoke one. */
export function registerSessionRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/sessions',
      summary: "List a user's or a client's sessions (newest first)",
      tags,
      query: listQuery,
      response: z.union([pageJSON(backendSessionJSON), z.array(backendSessionJSON)]),
    },
    async (c, { query }) => {
      if (!query.user_id && !query.client_id) {
        throw new AppError('form_param_missing', { meta: { param_name: 'user_id' } });
      }
      const now = c.var.deps.now();
      const page = await listSessions(c.var.deps, {
        limit: query.limit,
        offset: query.offset,
        ...(query.user_id && { userId: query.user_id }),
        ...(query.client_id && { ids: [sessionIdOfClient(query.client_id)] }),
      });
      // Expired rows are rare (they are removed when next seen), so the status filter runs on the page.
      const data = page.data
        .map((s) => toJSON(s, now))
        .filter((s) => query.status === undefined || s.status === query.status);
      const totalCount = query.status === undefined ? page.totalCount : data.length;
      return query.paginated === 'true' ? { data, total_count: totalCount } : data;
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/sessions/:session_id',
      summary: 'Get a session',
      tags,
      params: sessionParams,
      response: backendSessionJSON,
    },
    async (c, { params }) => toJSON(await getSession(c.var.deps.store, params.session_id), c.var.deps.now()),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/sessions/:session_id/revoke',
      summary: 'Revoke a session: it signs in no more, and its tokens run out within their lifetime',
      tags,
      params: sessionParams,
      response: backendSessionJSON,
    },
    async (c, { params }) => toJSON(await revokeSession(c.var.deps, params.session_id), c.var.deps.now(), 'revoked'),
  );
}
