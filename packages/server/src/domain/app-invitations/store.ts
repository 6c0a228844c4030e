import type { InvitationStatus, Metadata } from '@roster/protocol';
import type { Page } from '../records.js';

/** An invitation to the application (Clerk's `/v1/invitations`): no organization, no role. */
export interface AppInvitation {
  id: string;
  emailAddress: string;
  emailNormalized: string;
  /** As stored; readers see a pending one past `expiresAt` as `expired` (`appInvitationStatus`). */
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  /** SHA-256 of the mailed ticket, which proves the address (decision 021). */
  tokenHash: string;
  /** SHA-256 of the ticket shown in the create answer, which proves nothing. */
  urlTokenHash: string | null;
  /** Becomes the new user's public metadata when the invitation is accepted. */
  publicMetadata: Metadata;
  redirectUrl: string | null;
  notify: boolean;
  /** The outbox message that mails the ticket (null with `notify: false`). */
  mailId: string | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  acceptedUserId: string | null;
}

export type AppInvitationOrder = 'created_at' | 'email_address' | 'expires_at';

/**
 * What application invitations need from storage; part of `Store`, so it shares its transactions.
 * At most one pending invitation per address: the database's unique index settles a race
 * (`UniqueViolation`).
 */
export interface AppInvitationStore {
  createAppInvitation(invitation: AppInvitation): Promise<void>;
  findAppInvitation(id: string): Promise<AppInvitation | null>;
  /** By either ticket's hash. */
  findAppInvitationByTokenHash(tokenHash: string): Promise<AppInvitation | null>;
  /** The stored `pending` invitation of an address, expired or not. */
  findPendingAppInvitation(emailNormalized: string): Promise<AppInvitation | null>;
  /** `statuses` are effective statuses (a pending row past its expiry counts as expired). */
  listAppInvitations(options: {
    statuses: InvitationStatus[];
    query?: string;
    orderBy: AppInvitationOrder;
    descending: boolean;
    limit: number;
    offset: number;
    now: number;
  }): Promise<Page<AppInvitation>>;
  /**
   * Moves a pending invitation to `to` in one conditional update (`status = 'pending'`, and for an
   * accept not past its expiry; an expired one may still be revoked). Of concurrent accepts and
   * revokes exactly one wins (decision 003); false when the invitation was not pending.
   */
  transitionAppInvitation(options: {
    id: string;
    to: 'accepted' | 'revoked' | 'expired';
    now: number;
    acceptedUserId?: string;
  }): Promise<boolean>;
  /** Withdraws an outbox message not yet sent (any attempt not begun); false when it was sent or is being sent. */
  withdrawQueuedMailById(id: string): Promise<boolean>;
}
