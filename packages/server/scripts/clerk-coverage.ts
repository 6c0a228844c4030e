import { pathToFileURL } from 'node:url';

/**
 * Prints docs/clerk-coverage.md: which of Clerk's Backend API operations that an organizations
 * product is asked for Roster serves, from the routes the server really has:
 *
 *   node --conditions=@roster/source --import tsx packages/server/scripts/clerk-coverage.ts > docs/clerk-coverage.md
 *
 * test/clerk-coverage.test.ts fails when the committed file and this output differ, so a new route
 * (or a removed one) shows up in the table.
 *
 * The operations are Clerk's (clerk/openapi-specs `bapi/2026-05-12.yml`, the version `@clerk/backend`
 * 3.25 sends): method, path and operationId, grouped as its spec tags them. `missing` says why an
 * operation Roster does not serve is not built; it is printed only while the route is absent (and
 * the test refuses one left on a served operation). `note` qualifies a served one.
 */

interface ClerkOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  id: string;
  deprecated?: true;
  missing?: string;
  /** Where a served operation answers otherwise than Clerk's, or has a Roster opt-in: printed after `yes`. */
  note?: string;
}

const NO_MFA = 'Roster has no second factors (TOTP, backup codes) yet.';
const NO_BILLING = 'Billing is out of Roster’s scope.';

/** Clerk's operations, by group, in the spec's order. */
export const CLERK_OPERATIONS: Record<string, ClerkOperation[]> = {
  Users: [
    { method: 'GET', path: '/users', id: 'GetUserList' },
    { method: 'POST', path: '/users', id: 'CreateUser' },
    { method: 'GET', path: '/users/count', id: 'GetUsersCount' },
    { method: 'GET', path: '/users/{user_id}', id: 'GetUser' },
    { method: 'PATCH', path: '/users/{user_id}', id: 'UpdateUser' },
    { method: 'DELETE', path: '/users/{user_id}', id: 'DeleteUser' },
    { method: 'POST', path: '/users/{user_id}/ban', id: 'BanUser' },
    { method: 'POST', path: '/users/{user_id}/unban', id: 'UnbanUser' },
    { method: 'POST', path: '/users/ban', id: 'UsersBan', missing: 'Bulk ban: not built yet (ban one by one).' },
    { method: 'POST', path: '/users/unban', id: 'UsersUnban', missing: 'Bulk unban: not built yet.' },
    { method: 'POST', path: '/users/{user_id}/lock', id: 'LockUser' },
    { method: 'POST', path: '/users/{user_id}/unlock', id: 'UnlockUser' },
    { method: 'POST', path: '/users/{user_id}/profile_image', id: 'SetUserProfileImage' },
    { method: 'DELETE', path: '/users/{user_id}/profile_image', id: 'DeleteUserProfileImage' },
    { method: 'PATCH', path: '/users/{user_id}/metadata', id: 'UpdateUserMetadata' },
    { method: 'PUT', path: '/users/{user_id}/metadata', id: 'ReplaceUserMetadata' },
    { method: 'GET', path: '/users/{user_id}/organization_memberships', id: 'UsersGetOrganizationMemberships' },
    { method: 'GET', path: '/users/{user_id}/organization_invitations', id: 'UsersGetOrganizationInvitations' },
    { method: 'POST', path: '/users/{user_id}/verify_password', id: 'VerifyPassword' },
    {
      method: 'POST',
      path: '/users/{user_id}/remove_password',
      id: 'RemoveUserPassword',
      missing: 'Every Roster account signs in with a password today; removing it would lock the user out.',
    },
    {
      method: 'POST',
      path: '/users/{user_id}/password/set_compromised',
      id: 'SetUserPasswordCompromised',
      missing: 'Not built yet: Roster checks passwords against Pwned Passwords at sign-up and change instead.',
    },
    {
      method: 'POST',
      path: '/users/{user_id}/password/unset_compromised',
      id: 'UnsetUserPasswordCompromised',
      missing: 'Not built yet (see set_compromised).',
    },
    {
      method: 'PUT',
      path: '/users/{user_id}/email_address',
      id: 'ReplaceUserEmailAddress',
      note: '`identification_status` `verified` only: `reserved` and `unverified` are refused (Roster keeps no unverified identity, decision 041).',
    },
    { method: 'POST', path: '/users/{user_id}/verify_totp', id: 'VerifyTOTP', missing: NO_MFA },
    { method: 'DELETE', path: '/users/{user_id}/mfa', id: 'DisableMFA', missing: NO_MFA },
    { method: 'DELETE', path: '/users/{user_id}/backup_code', id: 'DeleteBackupCode', missing: NO_MFA },
    { method: 'DELETE', path: '/users/{user_id}/totp', id: 'DeleteTOTP', missing: NO_MFA },
  ],
  'Email addresses': [
    { method: 'POST', path: '/email_addresses', id: 'CreateEmailAddress' },
    { method: 'GET', path: '/email_addresses/{email_address_id}', id: 'GetEmailAddress' },
    {
      method: 'PATCH',
      path: '/email_addresses/{email_address_id}',
      id: 'UpdateEmailAddress',
    },
    {
      method: 'DELETE',
      path: '/email_addresses/{email_address_id}',
      id: 'DeleteEmailAddress',
    },
  ],
  'Sessions and keys': [
    { method: 'GET', path: '/jwks', id: 'GetJWKS' },
    { method: 'GET', path: '/sessions', id: 'GetSessionList' },
    { method: 'GET', path: '/sessions/{session_id}', id: 'GetSession' },
    { method: 'POST', path: '/sessions/{session_id}/revoke', id: 'RevokeSession' },
    {
      method: 'POST',
      path: '/sessions',
      id: 'createSession',
      missing: 'Clerk offers it for testing only; Roster’s sessions start at a sign-in.',
    },
    {
      method: 'POST',
      path: '/sessions/{session_id}/tokens',
      id: 'CreateSessionToken',
      missing: 'Not built yet: tokens come from the Frontend API’s session refresh.',
    },
    {
      method: 'POST',
      path: '/sessions/{session_id}/refresh',
      id: 'RefreshSession',
      missing: 'Not built yet: the refresh is the Frontend API’s.',
    },
    {
      method: 'POST',
      path: '/sessions/{session_id}/tokens/{template_name}',
      id: 'CreateSessionTokenFromTemplate',
      missing: 'Roster has no JWT templates.',
    },
  ],
  'Application invitations': [
    { method: 'POST', path: '/invitations', id: 'CreateInvitation' },
    { method: 'GET', path: '/invitations', id: 'ListInvitations' },
    { method: 'POST', path: '/invitations/bulk', id: 'CreateBulkInvitations' },
    { method: 'POST', path: '/invitations/{invitation_id}/revoke', id: 'RevokeInvitation' },
  ],
  Organizations: [
    { method: 'GET', path: '/organizations', id: 'ListOrganizations' },
    { method: 'POST', path: '/organizations', id: 'CreateOrganization' },
    { method: 'GET', path: '/organizations/{organization_id}', id: 'GetOrganization' },
    { method: 'PATCH', path: '/organizations/{organization_id}', id: 'UpdateOrganization' },
    { method: 'DELETE', path: '/organizations/{organization_id}', id: 'DeleteOrganization' },
    { method: 'PATCH', path: '/organizations/{organization_id}/metadata', id: 'MergeOrganizationMetadata' },
    { method: 'PUT', path: '/organizations/{organization_id}/metadata', id: 'ReplaceOrganizationMetadata' },
    { method: 'PUT', path: '/organizations/{organization_id}/logo', id: 'UploadOrganizationLogo' },
    { method: 'DELETE', path: '/organizations/{organization_id}/logo', id: 'DeleteOrganizationLogo' },
    {
      method: 'GET',
      path: '/instance/organization_settings',
      id: 'GetInstanceOrganizationSettings',
    },
    {
      method: 'PATCH',
      path: '/instance/organization_settings',
      id: 'UpdateInstanceOrganizationSettings',
    },
  ],
  'Organization invitations': [
    { method: 'POST', path: '/organizations/{organization_id}/invitations', id: 'CreateOrganizationInvitation' },
    { method: 'GET', path: '/organizations/{organization_id}/invitations', id: 'ListOrganizationInvitations' },
    {
      method: 'POST',
      path: '/organizations/{organization_id}/invitations/bulk',
      id: 'CreateOrganizationInvitationBulk',
      note: 'All or none, as Clerk; up to 100 a call (Clerk: 10); per-address results with Roster’s `?partial=true` (decision 041).',
    },
    {
      method: 'GET',
      path: '/organizations/{organization_id}/invitations/pending',
      id: 'ListPendingOrganizationInvitations',
      deprecated: true,
    },
    {
      method: 'GET',
      path: '/organizations/{organization_id}/invitations/{invitation_id}',
      id: 'GetOrganizationInvitation',
    },
    {
      method: 'POST',
      path: '/organizations/{organization_id}/invitations/{invitation_id}/revoke',
      id: 'RevokeOrganizationInvitation',
    },
    {
      method: 'GET',
      path: '/organization_invitations',
      id: 'ListInstanceOrganizationInvitations',
    },
  ],
  'Organization memberships': [
    { method: 'POST', path: '/organizations/{organization_id}/memberships', id: 'CreateOrganizationMembership' },
    { method: 'GET', path: '/organizations/{organization_id}/memberships', id: 'ListOrganizationMemberships' },
    {
      method: 'PATCH',
      path: '/organizations/{organization_id}/memberships/{user_id}',
      id: 'UpdateOrganizationMembership',
    },
    {
      method: 'DELETE',
      path: '/organizations/{organization_id}/memberships/{user_id}',
      id: 'DeleteOrganizationMembership',
    },
    {
      method: 'PATCH',
      path: '/organizations/{organization_id}/memberships/{user_id}/metadata',
      id: 'UpdateOrganizationMembershipMetadata',
    },
    {
      method: 'GET',
      path: '/organization_memberships',
      id: 'InstanceGetOrganizationMemberships',
    },
  ],
  'Organization domains': [
    {
      method: 'POST',
      path: '/organizations/{organization_id}/domains',
      id: 'CreateOrganizationDomain',
    },
    {
      method: 'GET',
      path: '/organizations/{organization_id}/domains',
      id: 'ListOrganizationDomains',
    },
    {
      method: 'PATCH',
      path: '/organizations/{organization_id}/domains/{domain_id}',
      id: 'UpdateOrganizationDomain',
    },
    {
      method: 'DELETE',
      path: '/organizations/{organization_id}/domains/{domain_id}',
      id: 'DeleteOrganizationDomain',
    },
    {
      method: 'POST',
      path: '/organizations/{organization_id}/domains/{domain_id}/verify_ownership',
      id: 'VerifyOrganizationDomainOwnership',
      missing: 'DNS ownership checks are not built; affiliation is proved by an emailed code.',
    },
    { method: 'GET', path: '/organization_domains', id: 'ListAllOrganizationDomains' },
  ],
  'Roles and permissions': [
    { method: 'GET', path: '/organization_roles', id: 'ListOrganizationRoles' },
    { method: 'POST', path: '/organization_roles', id: 'CreateOrganizationRole' },
    {
      method: 'GET',
      path: '/organization_roles/{organization_role_id}',
      id: 'GetOrganizationRole',
    },
    {
      method: 'PATCH',
      path: '/organization_roles/{organization_role_id}',
      id: 'UpdateOrganizationRole',
    },
    {
      method: 'DELETE',
      path: '/organization_roles/{organization_role_id}',
      id: 'DeleteOrganizationRole',
    },
    {
      method: 'POST',
      path: '/organization_roles/{organization_role_id}/permissions/{permission_id}',
      id: 'AssignPermissionToOrganizationRole',
    },
    {
      method: 'DELETE',
      path: '/organization_roles/{organization_role_id}/permissions/{permission_id}',
      id: 'RemovePermissionFromOrganizationRole',
    },
    { method: 'GET', path: '/organization_permissions', id: 'ListOrganizationPermissions' },
    {
      method: 'POST',
      path: '/organization_permissions',
      id: 'CreateOrganizationPermission',
    },
    {
      method: 'GET',
      path: '/organization_permissions/{permission_id}',
      id: 'GetOrganizationPermission',
    },
    {
      method: 'PATCH',
      path: '/organization_permissions/{permission_id}',
      id: 'UpdateOrganizationPermission',
    },
    {
      method: 'DELETE',
      path: '/organization_permissions/{permission_id}',
      id: 'DeleteOrganizationPermission',
    },
    { method: 'GET', path: '/role_sets', id: 'ListRoleSets' },
    { method: 'POST', path: '/role_sets', id: 'CreateRoleSet' },
    { method: 'GET', path: '/role_sets/{role_set_key_or_id}', id: 'GetRoleSet' },
    { method: 'PATCH', path: '/role_sets/{role_set_key_or_id}', id: 'UpdateRoleSet' },
    {
      method: 'POST',
      path: '/role_sets/{role_set_key_or_id}/replace',
      id: 'ReplaceRoleSet',
    },
    {
      method: 'POST',
      path: '/role_sets/{role_set_key_or_id}/roles',
      id: 'AddRolesToRoleSet',
    },
    {
      method: 'POST',
      path: '/role_sets/{role_set_key_or_id}/roles/replace',
      id: 'ReplaceRoleInRoleSet',
    },
  ],
};

/** Clerk's groups an organizations product is not asked for, and why Roster leaves them out. */
const OUT_OF_SCOPE: [string, string][] = [
  [
    'Phone numbers, SMS, Web3 wallets, passkeys, external (OAuth) accounts, SAML and enterprise connections, SCIM',
    'Roster signs people in with an email address and a password; other identifiers and federation are not in its scope.',
  ],
  ['Billing (subscriptions, credits)', NO_BILLING],
  [
    'JWT templates, M2M tokens, API keys, machines, OAuth applications, actor tokens, testing tokens, agents',
    'Not part of an organizations product; Roster issues session tokens only.',
  ],
  [
    'Allowlist, blocklist, redirect URLs, waitlist, sign-in tokens, sign-ups, clients, instance settings other than organizations',
    'Instance configuration Roster takes from its environment (docs/deploying.md).',
  ],
  [
    'Email and SMS templates (`/templates`)',
    'Roster’s mail templates are files in the server (packages/server/src/email/templates).',
  ],
  [
    'Svix webhook portal (`/webhooks/svix*`)',
    'Roster sends webhooks itself: `/v1/webhook_endpoints` (not in Clerk’s API) manages them.',
  ],
];

/** Whether `routes` (method and Hono path, `/v1/organizations/:organization_id`) serve an operation. */
export function serves(routes: { method: string; path: string }[], op: ClerkOperation): boolean {
  const path = `/v1${op.path.replace(/\{[^}]+\}/g, ':')}`;
  return routes.some((r) => r.method === op.method && r.path.replace(/:[^/]+/g, ':') === path);
}

/** A Markdown table with its columns padded to their widest cell, as Biome formats tables. */
function table(head: string[], rows: string[][]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function clerkCoverage(routes: { method: string; path: string }[]): string {
  const all = Object.values(CLERK_OPERATIONS).flat();
  const served = all.filter((op) => serves(routes, op)).length;
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Clerk Backend API coverage',
    '',
    '<!-- Generated from the server’s routes by',
    '     `node --conditions=@roster/source --import tsx packages/server/scripts/clerk-coverage.ts > docs/clerk-coverage.md`.',
    '     Do not edit by hand: test/clerk-coverage.test.ts checks it. -->',
    '',
    'The operations of Clerk’s Backend API (`bapi/2026-05-12.yml`, what `@clerk/backend` 3.25 calls) that',
    'an app using Clerk Organizations calls, and whether Roster serves them at the same path. A served',
    'operation takes Clerk’s parameters and answers with Clerk’s objects and error codes; the tests',
    `drive them through \`@clerk/backend\`. **Roster serves ${served} of ${all.length}.**`,
    '',
  ];
  for (const [group, ops] of Object.entries(CLERK_OPERATIONS)) {
    const n = ops.filter((op) => serves(routes, op)).length;
    lines.push(`## ${group} (${n} of ${ops.length})`, '');
    const rows = ops.map((op) => [
      `${op.id}${op.deprecated ? ' (deprecated)' : ''}`,
      `\`${op.method} /v1${op.path}\``,
      serves(routes, op) ? (op.note ? `yes: ${cell(op.note)}` : 'yes') : `no: ${cell(op.missing ?? 'Not built yet.')}`,
    ]);
    lines.push(...table(['operation', 'Clerk’s path', 'Roster'], rows), '');
  }
  lines.push(
    '## Not in scope',
    '',
    ...table(
      ['Clerk’s groups', 'why'],
      OUT_OF_SCOPE.map((r) => r.map(cell)),
    ),
  );
  lines.push('');
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { loadConfig } = await import('../src/config.js');
  const { createLogger, createRoster } = await import('../src/server.js');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ':memory:',
    ROSTER_SECRET_KEY: 'sk_test_roster_coverage_0123456789abcdef',
    ROSTER_PUBLIC_URL: 'http://roster.test',
  });
  const roster = await createRoster(
    { ...config, secretKey: config.secretKey ?? '' },
    { logger: createLogger('silent') },
  );
  process.stdout.write(clerkCoverage(roster.app.routes));
  await roster.close();
}
