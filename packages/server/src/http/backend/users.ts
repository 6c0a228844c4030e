import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createUserBody,
  deletedObjectJSON,
  invitationStatus,
  organizationInvitationJSON,
  organizationMembershipJSON,
  pageJSON,
  paginationQuery,
  totalCountJSON,
  updateUserBody,
  userJSON,
} from '@roster/protocol';
import { z } from 'zod';
import { listUserInvitations } from '../../domain/invitations/accept.js';
import { listUserMemberships } from '../../domain/memberships/memberships.js';
import { createUser, updateUserProfile } from '../../domain/users/admin.js';
import { countUsers, deleteUser, getUser, listUsers } from '../../domain/users/users.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';
import { serializeInvitations, serializeMemberships, userJSON as toUserJSON } from '../serialize.js';
import { importedFields } from './user-imports.js';
import { userFilterQuery, userFilters, userListQuery } from './user-list-query.js';

const tags = ['Users'];
const userParams = z.object({ user_id: z.string().max(64) });
/** Backend API users: create, get, list (a bare array, with `/users/count` beside it, as Clerk), delete. */
export function registerUserRoutes(app: OpenAPIHono<AppEnv>) {
  defineRoute(
    app,
    { method: 'post', path: '/v1/users', summary: 'Create a user', tags, body: createUserBody, response: userJSON },
    async (c, { body }) => {
      const user = await createUser(c.var.deps, {
        emailAddresses: body.email_address,
        password: body.password ?? null,
        ...importedFields(body),
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
        externalId: body.external_id,
        username: body.username,
        locale: body.locale,
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
      query: userListQuery,
      response: z.array(userJSON),
    },
    async (c, { query }) => {
      const users = await listUsers(c.var.deps, {
        ...userFilters(query),
        limit: query.limit,
        offset: query.offset,
        ...(query.order_by && { orderBy: query.order_by }),
      });
      return users.map((u) => toUserJSON(u, 'backend', c.var.deps.now()));
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/users/count',
      summary: 'Count users (the list filters)',
      tags,
      query: userFilterQuery,
      response: totalCountJSON,
    },
    async (c, { query }) => {
      const total = await countUsers(c.var.deps, userFilters(query));
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
      const page = await listUserMemberships(c.var.deps, {
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
