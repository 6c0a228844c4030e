import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  type OrganizationSettingsJSON,
  organizationSettingsJSON,
  updateOrganizationSettingsBody,
} from '@roster/protocol';
import {
  type OrganizationSettings,
  organizationSettings,
  updateOrganizationSettings,
} from '../../domain/roles/instance-settings.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../route.js';

export function organizationSettingsToJSON(s: OrganizationSettings): OrganizationSettingsJSON {
  return {
    object: 'organization_settings',
    enabled: s.enabled,
    max_allowed_memberships: s.maxAllowedMemberships,
    max_allowed_roles: 0,
    max_role_sets_allowed: 0,
    max_allowed_domains: 0,
    creator_role: s.creatorRole,
    admin_delete_enabled: s.adminDeleteEnabled,
    domains_enabled: s.domainsEnabled,
    slug_disabled: s.slugDisabled,
    domains_enrollment_modes: s.domainsEnrollmentModes,
    domains_default_role: s.domainsDefaultRole,
    initial_role_set_key: s.initialRoleSetKey,
    max_organizations_per_user: s.maxOrganizationsPerUser,
  };
}

/** Backend API `/v1/instance/organization_settings`: the instance's organization settings (decision 040). */
export function registerInstanceSettingsRoutes(app: OpenAPIHono<AppEnv>) {
  const tags = ['Instance Settings'];
  defineRoute(
    app,
    {
      method: 'get',
      path: '/v1/instance/organization_settings',
      summary: 'Get the instance’s organization settings (stored values over the environment’s defaults)',
      tags,
      response: organizationSettingsJSON,
    },
    async (c) => organizationSettingsToJSON(await organizationSettings(c.var.deps)),
  );
  defineRoute(
    app,
    {
      method: 'patch',
      path: '/v1/instance/organization_settings',
      summary: 'Update the instance’s organization settings (fields left out keep their value)',
      tags,
      body: updateOrganizationSettingsBody,
      response: organizationSettingsJSON,
    },
    async (c, { body }) =>
      organizationSettingsToJSON(
        await updateOrganizationSettings(c.var.deps, {
          enabled: body.enabled,
          maxAllowedMemberships: body.max_allowed_memberships,
          maxOrganizationsPerUser: body.max_organizations_per_user,
          adminDeleteEnabled: body.admin_delete_enabled,
          domainsEnabled: body.domains_enabled,
          slugDisabled: body.slug_disabled,
          ...(body.domains_enrollment_modes && { domainsEnrollmentModes: body.domains_enrollment_modes }),
          creatorRoleId: body.creator_role_id,
          domainsDefaultRoleId: body.domains_default_role_id,
        }),
      ),
  );
}
