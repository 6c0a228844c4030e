import type { AppInvitationJSON } from '@roster/protocol';
import { appInvitationStatus } from '../domain/app-invitations/app-invitations.js';
import type { AppInvitation } from '../domain/app-invitations/store.js';

/** Clerk's Invitation object; `url` only where a create made the shown link. */
export function appInvitationJSON(invitation: AppInvitation, now: number, url?: string): AppInvitationJSON {
  const status = appInvitationStatus(invitation, now);
  return {
    object: 'invitation',
    id: invitation.id,
    email_address: invitation.emailAddress,
    public_metadata: invitation.publicMetadata,
    revoked: status === 'revoked',
    status,
    ...(url !== undefined && { url }),
    redirect_url: invitation.redirectUrl,
    expires_at: invitation.expiresAt,
    created_at: invitation.createdAt,
    updated_at: invitation.updatedAt,
  };
}
