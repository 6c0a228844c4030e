export { AcceptInvitation, type AcceptInvitationProps } from './accept-invitation.js';
export type { Appearance, AppearanceElement, AppearanceVariables } from './appearance.js';
export { CreateOrganization, type CreateOrganizationProps } from './create-organization.js';
export { OrganizationProfile, type OrganizationProfileProps } from './organization-profile/index.js';
export { OrganizationSwitcher, type OrganizationSwitcherProps } from './organization-switcher/index.js';
export { SignIn, type SignInProps } from './sign-in.js';
export { SignUp, type SignUpProps } from './sign-up.js';
export { UserButton, type UserButtonProps } from './user-button.js';
export { UserProfile, type UserProfileProps } from './user-profile.js';
