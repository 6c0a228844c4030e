import type { OpenAPIHono } from '@hono/zod-openapi';
import { organizationMetadataBody, userJSON } from '@roster/protocol';
import { z } from 'zod';
import type { Deps } from '../../domain/deps.js';
import type { UserWithEmails } from '../../domain/records.js';
import { updateUserMetadata, verifyUserPassword } from '../../domain/users/admin.js';
import { banUser, lockUser, unbanUser, unlockUser } from '../../domain/users/restrictions.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { userJSON as toUserJSON } from '../serialize.js';

const tags = ['Users'];
const userParams = z.object({ user_id: z.string().max(64) });
// The same two fields as an organization's; Clerk's `unsafe_metadata` is not kept by Roster, so it is refused.
const metadataBody = organizationMetadataBody;
const verifyPasswordBody = z.strictObject({ password: z.string().min(1).max(256) });

const RESTRICTIONS: {
  action: 'ban' | 'unban' | 'lock' | 'unlock';
  summary: string;
  run: (deps: Deps, id: string) => Promise<UserWithEmails>;
}[] = [
  { action: 'ban', summary: 'Ban a user: every session ends and no sign-in succeeds until unbanned', run: banUser },
  { action: 'unban', summary: 'Lift a ban', run: unbanUser },
  { action: 'lock', summary: 'Lock a user for the lockout period (sessions end)', run: lockUser },
  { action: 'unlock', summary: 'Lift a lock', run: unlockUser },
];

/** Backend API user administration as Clerk's: metadata merge and replace, password check, ban and lock. */
export function registerUserAdminRoutes(app: OpenAPIHono<AppEnv>) {
  for (const [method, merge] of [
    ['patch', true],
    ['put', false],
  ] as const) {
    defineRoute(
      app,
      {
        method,
        path: '/v1/users/:user_id/metadata',
        summary: merge ? "Merge a user's metadata (null deletes a key)" : "Replace a user's metadata fields given",
        tags,
        params: userParams,
        body: metadataBody,
        response: userJSON,
      },
      async (c, { params, body }) => {
        const user = await updateUserMetadata(c.var.deps, params.user_id, {
          publicMetadata: body.public_metadata ?? null,
          privateMetadata: body.private_metadata ?? null,
          merge,
        });
        return toUserJSON(user, 'backend', c.var.deps.now());
      },
    );
  }

  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/users/:user_id/verify_password',
      summary: "Check a user's password",
      tags,
      params: userParams,
      body: verifyPasswordBody,
      response: z.object({ verified: z.literal(true) }),
      // A check, not a create: a replayed "verified" could outlive a password change.
      idempotent: false,
    },
    async (c, { params, body }) => {
      await verifyUserPassword(c.var.deps, params.user_id, body.password);
      return { verified: true as const };
    },
  );

  for (const { action, summary, run } of RESTRICTIONS) {
    defineRoute(
      app,
      { method: 'post', path: `/v1/users/:user_id/${action}`, summary, tags, params: userParams, response: userJSON },
      async (c, { params }) => toUserJSON(await run(c.var.deps, params.user_id), 'backend', c.var.deps.now()),
    );
  }
}
