/**
 * `@roster/react`: `<RosterProvider>`, Clerk-style hooks over `@roster/client`, and prebuilt
 * components (`<SignIn/>`, `<SignUp/>`, `<OrganizationSwitcher/>`, `<OrganizationProfile/>`,
 * `<AcceptInvitation/>`, `<CreateOrganization/>`, `<OrganizationList/>`, `<UserButton/>`, `<UserProfile/>`), control components (`<Protect>`, `<Show>`), themeable through `appearance`.
 * Everything from `@roster/client` is re-exported, so apps import from one place.
 *
 * @example
 * ```tsx
 * import { RosterProvider, useOrganization } from '@roster/react';
 * ```
 */
export * from '@roster/client';
export {
  AcceptInvitation,
  type AcceptInvitationProps,
  type AfterUrl,
  type Appearance,
  type AppearanceElement,
  type AppearanceVariables,
  CreateOrganization,
  type CreateOrganizationProps,
  dark,
  OrganizationList,
  type OrganizationListProps,
  OrganizationProfile,
  type OrganizationProfileProps,
  OrganizationSwitcher,
  type OrganizationSwitcherProps,
  SignIn,
  type SignInProps,
  SignUp,
  type SignUpProps,
  type Theme,
  UserButton,
  type UserButtonProps,
  UserProfile,
  type UserProfileProps,
} from './components/index.js';
export { Protect, type ProtectProps, Show, type ShowProps, type ShowWhen } from './control.js';
export type { LocalizationResource } from './localization/en-US.js';
export type { Localization, LocalizationCountKey, LocalizationKey } from './localization/localizer.js';
export type { Plural } from './localization/resource.js';
export { RosterProvider, type RosterProviderProps } from './provider.js';
export type {
  DomainsListOptions,
  InvitationsListOptions,
  LegacyListOptions,
  MembershipRequestsListOptions,
  MembershipsListOptions,
  PaginatedResources,
  PaginationOptions,
  SuggestionsListOptions,
} from './types.js';
export {
  type HasCheck,
  type UseAuthReturn,
  type UseUserReturn,
  useAuth,
  useRoster,
  useUser,
} from './use-auth.js';
export {
  type UseOrganizationParams,
  type UseOrganizationReturn,
  useOrganization,
} from './use-organization.js';
export {
  type UseOrganizationListParams,
  type UseOrganizationListReturn,
  useOrganizationList,
} from './use-organization-list.js';
