import type { OpenAPIHono } from '@hono/zod-openapi';
import { deletedObjectJSON, emailAddressJSON } from '@roster/protocol';
import { z } from 'zod';
import {
  createEmailAddressFor,
  deleteEmailAddressOf,
  getEmailAddress,
  replaceEmailAddressOf,
  type UserEmailAddress,
  updateEmailAddress,
} from '../../domain/users/backend-email-addresses.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { emailAddressJSON as toEmailAddressJSON } from '../serialize.js';

const tags = ['Email addresses'];
const params = z.object({ email_address_id: z.string().max(64) });
const createBody = z.strictObject({
  user_id: z.string().min(1).max(64),
  email_address: z.email().max(320),
  verified: z.boolean().optional(),
  primary: z.boolean().optional(),
});
const updateBody = z.strictObject({ verified: z.boolean().optional(), primary: z.boolean().optional() });
const replaceBody = z.strictObject({
  email_address: z.email().max(320),
  identification_status: z.enum(['verified', 'reserved', 'unverified']).default('verified'),
  notify_primary_email_address_changed: z.boolean().nullish(),
});

function json(found: UserEmailAddress) {
  if (found.kind === 'held') return toEmailAddressJSON(found.address);
  const { id, email, createdAt, updatedAt } = found.address;
  return toEmailAddressJSON({
    id,
    userId: found.userId,
    email,
    verified: false,
    verificationStrategy: null,
    createdAt,
    updatedAt,
  });
}

/** Clerk's Backend API `/v1/email_addresses` (`clerkClient.emailAddresses.*`); each change is a `user.updated`. */
export function registerEmailAddressRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/email_addresses',
      summary: 'Give a user an email address',
      tags,
      body: createBody,
      response: emailAddressJSON,
    },
    async (c, { body }) =>
      json(
        await createEmailAddressFor(c.var.deps, {
          userId: body.user_id,
          email: body.email_address,
          verified: body.verified ?? false,
          primary: body.primary ?? false,
        }),
      ),
  );
  defineRoute(
    app,
    {
      method: 'put',
      path: '/v1/users/:user_id/email_address',
      summary:
        "Replace all of a user's email addresses with one, verified and primary (identification_status reserved and unverified are refused: Roster keeps no unverified identity)",
      tags,
      params: z.object({ user_id: z.string().max(64) }),
      body: replaceBody,
      response: emailAddressJSON,
    },
    async (c, { params, body }) =>
      json(
        await replaceEmailAddressOf(c.var.deps, {
          userId: params.user_id,
          email: body.email_address,
          status: body.identification_status,
          notifyPrimaryChanged: body.notify_primary_email_address_changed ?? false,
        }),
      ),
  );
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/email_addresses/:email_address_id',
      summary: 'Get an email address',
      tags,
      params,
      response: emailAddressJSON,
    },
    async (c, { params }) => json(await getEmailAddress(c.var.deps, params.email_address_id)),
  );
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/email_addresses/:email_address_id',
      summary: 'Verify an email address or make it the primary one',
      tags,
      params,
      body: updateBody,
      response: emailAddressJSON,
    },
    async (c, { params, body }) => json(await updateEmailAddress(c.var.deps, params.email_address_id, body)),
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/email_addresses/:email_address_id',
      summary: 'Delete an email address (not the primary one)',
      tags,
      params,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const { id } = await deleteEmailAddressOf(c.var.deps, params.email_address_id);
      return { object: 'email_address', id, deleted: true as const };
    },
  );
}
