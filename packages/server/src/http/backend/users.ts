import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createUserBody,
  deletedObjectJSON,
  invitationStatus,
  newestFirstOrder,
  organizationInvitationJSON,
  organizationMembershipJSON,
  pageJSON,
  paginationQuery,
  totalCountJSON,
  updateUserBody,
  userJSON,
} from '@roster/protocol';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/crypto.js';
import { listUserInvitations } from '../../domain/invitations/accept.js';
import { createUser, deleteUser, getUser, updateUserProfile } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeInvitations, serializeMemberships, userJSON as toUserJSON } from '../serialize.js';

const tags = ['Users'];
const userParams = z.object({ user_id: z.string().max(64) });
// Strict: Clerk filters Roster does not implement (query, username, organization_id, …) are
// refused with form_param_unknown instead of being ignored, which would widen the result.
const userFilters = z.strictObject({
  email_address: z.array(z.string().max(320)).max(100).optional(),
  user_id: z.array(z.string().max(64)).max(100).optional(),
});

/** Backend API users: create, get, list (a bare array, with `/users/count` beside it, as Clerk), delete. */
export function registerUserRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    { method: 'post', path: '/v1/users', summary: 'Create a user', tags, body: createUserBody, response: userJSON },
    async (c, { body }) => {
      const user = await createUser(c.var.deps, {
        emailAddresses: body.email_address,
        password: body.password ?? null,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
        publicMetadata: body.public_metadata ?? null,
        privateMetadata: body.private_metadata ?? null,
        skipPasswordChecks: body.skip_password_checks ?? false,
      });
      return toUserJSON(user, 'backend', c.var.deps.now());
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/users/:user_id',
      summary: 'Update a user (names, primary address, password)',
      tags,
      params: userParams,
      body: updateUserBody,
      response: userJSON,
    },
    async (c, { params, body }) => {
      const user = await updateUserProfile(c.var.deps, params.user_id, {
        firstName: body.first_name,
        lastName: body.last_name,
        password: body.password ?? null,
        skipPasswordChecks: body.skip_password_checks ?? false,
        signOutOfAllSessions: body.sign_out_of_all_sessions ?? false,
        primaryEmailAddressId: body.primary_email_address_id ?? null,
      });
      return toUserJSON(user, 'backend', c.var.deps.now());
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/users',
      summary: 'List users (a bare array)',
      tags,
      query: paginationQuery.extend({ ...userFilters.shape, order_by: newestFirstOrder }).strict(),
      response: z.array(userJSON),
    },
    async (c, { query }) => {
      const users = await c.var.deps.store.listUsers({
        limit: query.limit,
        offset: query.offset,
        ...(query.email_address && { emails: query.email_address.map(normalizeEmail) }),
        ...(query.user_id && { userIds: query.user_id }),
      });
      return users.map((u) => toUserJSON(u, 'backend', c.var.deps.now()));
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/users/count',
      summary: 'Count users',
      tags,
      query: userFilters,
      response: totalCountJSON,
    },
    async (c, { query }) => {
      const total = await c.var.deps.store.countUsers({
        ...(query.email_address && { emails: query.email_address.map(normalizeEmail) }),
        ...(query.user_id && { userIds: query.user_id }),
      });
      return { object: 'total_count' as const, total_count: total };
    },
  );

  defineRoute(
    app,
    { method: 'get', path: '/v1/users/:user_id', summary: 'Get a user', tags, params: userParams, response: userJSON },
    async (c, { params }) => toUserJSON(await getUser(c.var.deps.store, params.user_id), 'backend', c.var.deps.now()),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/users/:user_id',
      summary: 'Delete a user',
      tags,
      params: userParams,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const user = await deleteUser(c.var.deps, params.user_id);
      return { object: 'user', id: user.id, deleted: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/users/:user_id/organization_memberships',
      summary: "List a user's memberships",
      tags,
      params: userParams,
      query: paginationQuery.strict(),
      response: pageJSON(organizationMembershipJSON),
    },
    async (c, { params, query }) => {
      await getUser(c.var.deps.store, params.user_id);
      const page = await c.var.deps.store.listMemberships({
        userId: params.user_id,
        limit: query.limit,
        offset: query.offset,
      });
      return {
        data: await serializeMemberships(c.var.deps.store, page.data, 'backend', c.var.deps.now()),
        total_count: page.totalCount,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/users/:user_id/organization_invitations',
      summary: 'List invitations sent to a user',
      tags,
      params: userParams,
      query: paginationQuery.extend({ status: z.array(invitationStatus).max(4).optional() }).strict(),
      response: pageJSON(organizationInvitationJSON),
    },
    async (c, { params, query }) => {
      const user = await getUser(c.var.deps.store, params.user_id);
      const page = await listUserInvitations(c.var.deps, user, {
        statuses: query.status ?? [],
        limit: query.limit,
        offset: query.offset,
      });
      const data = await serializeInvitations(c.var.deps.store, page.data, {
        audience: 'backend',
        now: c.var.deps.now(),
        withOrganization: true,
      });
      return { data, total_count: page.totalCount };
    },
  );
}
