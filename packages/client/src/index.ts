/**
 * `@roster/client`: a fetch-based client for Roster's Frontend API, with resources named like
 * Clerk's (`organization.inviteMember`, `invitation.revoke`, …). No framework imports.
 *
 * @example
 * ```ts
 * import { createRosterClient } from '@roster/client';
 * const client = createRosterClient({ baseUrl: 'https://roster.example.com' });
 * ```
 */
export {
  type InvitationPreview,
  type SignedIn,
  SignIn,
  type SignInStarted,
  SignUp,
  type SignUpStarted,
  Tickets,
} from './auth.js';
export {
  createRosterClient,
  type GetTokenOptions,
  type Me,
  RosterClient,
  type RosterClientOptions,
} from './client.js';
export {
  isRosterAPIError,
  RosterAPIError,
  RosterBulkInvitationError,
  type RosterError,
  type RosterErrorCode,
  type RosterErrorEntry,
  RosterNetworkError,
  RosterTimeoutError,
} from './errors.js';
export type { RosterChangeEvent, RosterChangeKind, RosterChangeListener } from './events.js';
export { type InviteMemberParams, type InviteMembersParams, Organization } from './resources/organization.js';
export {
  OrganizationDomain,
  type OrganizationDomainVerification,
  type UpdateEnrollmentModeParams,
} from './resources/organization-domain.js';
export {
  type EmailDelivery,
  OrganizationInvitation,
  type PublicInviterData,
  type ResendInvitationParams,
} from './resources/organization-invitation.js';
export { OrganizationMembership, type PublicUserData } from './resources/organization-membership.js';
export { OrganizationMembershipRequest } from './resources/organization-membership-request.js';
export { OrganizationSuggestion } from './resources/organization-suggestion.js';
export { PermissionResource, Role } from './resources/role.js';
export { Session, type SessionActivity, SessionWithActivities } from './resources/session.js';
export { type EmailAddress, EmailAddressResource, User } from './resources/user.js';
export { type PublicOrganizationData, UserOrganizationInvitation } from './resources/user-organization-invitation.js';
export type {
  DomainListParams,
  EnrollmentMode,
  InvitationListParams,
  InvitationStatus,
  MembershipListParams,
  MembershipRequestListParams,
  MembershipRequestStatus,
  PaginatedResponse,
  PaginationParams,
  Permission,
  RoleInput,
  RoleKey,
  SuggestionListParams,
  SuggestionStatus,
} from './types.js';
