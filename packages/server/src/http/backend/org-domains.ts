import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createOrganizationDomainBody,
  deletedObjectJSON,
  organizationDomainJSON as domainSchema,
  organizationDomainListQuery,
  pageJSON,
  updateOrganizationDomainBody,
} from '@roster/protocol';
import { z } from 'zod';
import {
  createOrganizationDomain,
  deleteOrganizationDomain,
  listOrganizationDomains,
  updateOrganizationDomain,
} from '../../domain/org-domains/domains.js';
import type { OrganizationDomain } from '../../domain/org-domains/store.js';
import type { AppEnv } from '../env.js';
import { domainCounters, organizationDomainsJSON } from '../org-domain-json.js';
import { defineRoute } from '../route.js';

const tags = ['Organization domains'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const domainParams = orgParams.extend({ domain_id: z.string().max(64) });
const secretKey = { kind: 'secret_key' } as const;
const verifiedFilter = (v: 'true' | 'false' | undefined) => (v === undefined ? {} : { verified: v === 'true' });

/** Backend API organization domains (Clerk's paths): create, list (per organization and instance-wide), update, delete. */
export function registerOrgDomainRoutes(app: OpenAPIHono<AppEnv>) {
  const many = (c: { var: AppEnv['Variables'] }, domains: OrganizationDomain[]) =>
    organizationDomainsJSON(domainCounters(c.var.deps.store), domains, c.var.deps.now());
  const one = async (c: { var: AppEnv['Variables'] }, domain: OrganizationDomain) => (await many(c, [domain]))[0]!;
  defineRoute(
    app,
    {
      method: 'post',
      path: '/v1/organizations/:organization_id/domains',
      summary: 'Create an organization domain (verified unless `verified: false`)',
      tags,
      params: orgParams,
      body: createOrganizationDomainBody,
      response: domainSchema,
    },
    async (c, { params, body }) =>
      one(
        c,
        await createOrganizationDomain(c.var.deps, secretKey, params.organization_id, {
          name: body.name,
          enrollmentMode: body.enrollment_mode,
          verified: body.verified,
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organizations/:organization_id/domains',
      summary: "List an organization's domains",
      tags,
      params: orgParams,
      query: organizationDomainListQuery.omit({ organization_id: true }).strict(),
      response: pageJSON(domainSchema),
    },
    async (c, { params, query }) => {
      const page = await listOrganizationDomains(c.var.deps, secretKey, {
        orgId: params.organization_id,
        ...verifiedFilter(query.verified),
        ...(query.enrollment_mode && { enrollmentMode: query.enrollment_mode }),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: await many(c, page.data), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/organization_domains',
      summary: 'List the domains of every organization',
      tags,
      query: organizationDomainListQuery.strict(),
      response: pageJSON(domainSchema),
    },
    async (c, { query }) => {
      const page = await listOrganizationDomains(c.var.deps, secretKey, {
        ...(query.organization_id && { orgId: query.organization_id }),
        ...verifiedFilter(query.verified),
        ...(query.enrollment_mode && { enrollmentMode: query.enrollment_mode }),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: await many(c, page.data), total_count: page.totalCount };
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/organizations/:organization_id/domains/:domain_id',
      summary: "Update a domain's enrollment mode or verified flag",
      tags,
      params: domainParams,
      body: updateOrganizationDomainBody,
      response: domainSchema,
    },
    async (c, { params, body }) =>
      one(
        c,
        await updateOrganizationDomain(
          c.var.deps,
          secretKey,
          { orgId: params.organization_id, domainId: params.domain_id },
          {
            ...(body.enrollment_mode && { enrollmentMode: body.enrollment_mode }),
            ...(body.verified !== undefined && { verified: body.verified }),
            ...(body.delete_pending !== undefined && { deletePending: body.delete_pending }),
          },
        ),
      ),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/v1/organizations/:organization_id/domains/:domain_id',
      summary: 'Delete an organization domain',
      tags,
      params: domainParams,
      response: deletedObjectJSON,
    },
    async (c, { params }) => {
      const domain = await deleteOrganizationDomain(c.var.deps, secretKey, {
        orgId: params.organization_id,
        domainId: params.domain_id,
      });
      return { object: 'organization_domain', id: domain.id, deleted: true as const };
    },
  );
}
