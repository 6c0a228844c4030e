import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  attemptAffiliationVerificationBody,
  deletedObjectJSON,
  organizationDomainJSON as domainSchema,
  fapiCreateOrganizationDomainBody,
  organizationDomainListQuery,
  pageJSON,
  prepareAffiliationVerificationBody,
  updateEnrollmentModeBody,
} from '@roster/protocol';
import { z } from 'zod';
import {
  attemptAffiliationVerification,
  prepareAffiliationVerification,
} from '../../domain/org-domains/affiliation.js';
import {
  createOrganizationDomain,
  deleteOrganizationDomain,
  listOrganizationDomains,
  readOrganizationDomain,
  updateOrganizationDomain,
} from '../../domain/org-domains/domains.js';
import type { OrganizationDomain } from '../../domain/org-domains/store.js';
import type { AppEnv } from '../env.js';
import { domainCounters, organizationDomainsJSON } from '../org-domain-json.js';
import { consume } from '../rate-limits.js';
import { defineRoute } from '../route.js';
import type { FrontendOptions } from './index.js';

const tags = ['Frontend: organization domains'];
const orgParams = z.object({ organization_id: z.string().max(128) });
const domainParams = orgParams.extend({ domain_id: z.string().max(64) });
const idsOf = (params: z.infer<typeof domainParams>) => ({ orgId: params.organization_id, domainId: params.domain_id });

/**
 * Frontend API organization domains (clerk-js `organization.getDomains`, `createDomain`, `getDomain`,
 * `domain.prepareAffiliationVerification`, `attemptAffiliationVerification`, `updateEnrollmentMode`,
 * `delete`), acting as the signed-in user: reading needs `org:sys_domains:read` or `:manage`, writing `:manage`.
 */
export function registerFrontendOrgDomainRoutes(app: OpenAPIHono<AppEnv>, options: Pick<FrontendOptions, 'ip'>) {
  const many = (c: { var: AppEnv['Variables'] }, domains: OrganizationDomain[]) =>
    organizationDomainsJSON(domainCounters(c.var.deps.store), domains, c.var.deps.now());
  const one = async (c: { var: AppEnv['Variables'] }, domain: OrganizationDomain) => (await many(c, [domain]))[0]!;

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/domains',
      summary: "List an organization's domains",
      tags,
      params: orgParams,
      query: organizationDomainListQuery.omit({ organization_id: true }).strict(),
      response: pageJSON(domainSchema),
      security: 'session',
    },
    async (c, { params, query, actor }) => {
      const page = await listOrganizationDomains(c.var.deps, actor, {
        orgId: params.organization_id,
        ...(query.verified !== undefined && { verified: query.verified === 'true' }),
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
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/domains',
      summary: 'Add a domain (unverified, unless you already hold a verified address on it)',
      tags,
      params: orgParams,
      body: fapiCreateOrganizationDomainBody,
      response: domainSchema,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      const domain = await createOrganizationDomain(c.var.deps, actor, params.organization_id, {
        name: body.name,
        enrollmentMode: 'manual_invitation',
        verified: false,
        affiliatedUser: actor.user,
      });
      return one(c, domain);
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/fapi/v1/organizations/:organization_id/domains/:domain_id',
      summary: 'Get one of the organization’s domains',
      tags,
      params: domainParams,
      response: domainSchema,
      security: 'session',
    },
    async (c, { params, actor }) => one(c, await readOrganizationDomain(c.var.deps, actor, idsOf(params))),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/fapi/v1/organizations/:organization_id/domains/:domain_id',
      summary: 'Remove a domain (and the pending invitations and suggestions it made)',
      tags,
      params: domainParams,
      response: deletedObjectJSON,
      security: 'session',
    },
    async (c, { params, actor }) => {
      const domain = await deleteOrganizationDomain(c.var.deps, actor, idsOf(params));
      return { object: 'organization_domain', id: domain.id, deleted: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/domains/:domain_id/prepare_affiliation_verification',
      summary: 'Mail a six-digit code to an address on the domain, to prove affiliation',
      tags,
      params: domainParams,
      body: prepareAffiliationVerificationBody,
      response: domainSchema,
      security: 'session',
    },
    async (c, { params, body, user, actor }) => {
      const limits = c.var.limits;
      await consume(limits, limits.codesPerIp, options.ip(c));
      const domain = await prepareAffiliationVerification(c.var.deps, actor, idsOf(params), {
        affiliationEmailAddress: body.affiliation_email_address,
        locale: user.locale,
        throttle: (addressKey) => consume(limits, limits.codeMailsPerAddress, addressKey),
      });
      return one(c, domain);
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/domains/:domain_id/attempt_affiliation_verification',
      summary: 'Prove affiliation with the mailed code: the domain becomes verified',
      tags,
      params: domainParams,
      body: attemptAffiliationVerificationBody,
      response: domainSchema,
      security: 'session',
    },
    async (c, { params, body, actor }) => {
      await consume(c.var.limits, c.var.limits.codesPerIp, options.ip(c));
      return one(c, await attemptAffiliationVerification(c.var.deps, actor, idsOf(params), body.code));
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/fapi/v1/organizations/:organization_id/domains/:domain_id/update_enrollment_mode',
      summary: "Change a domain's enrollment mode (delete_pending: also remove what it made that is pending)",
      tags,
      params: domainParams,
      body: updateEnrollmentModeBody,
      response: domainSchema,
      security: 'session',
    },
    async (c, { params, body, actor }) =>
      one(
        c,
        await updateOrganizationDomain(c.var.deps, actor, idsOf(params), {
          enrollmentMode: body.enrollment_mode,
          ...(body.delete_pending !== undefined && { deletePending: body.delete_pending }),
        }),
      ),
  );
}
