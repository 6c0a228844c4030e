/**
 * What a mutation changed. Fired by the client after the server confirmed it.
 *
 * @example
 * ```ts
 * client.onChange(({ kind }) => { if (kind === 'signed_out') router.push('/sign-in'); });
 * ```
 */
export type RosterChangeKind =
  | 'signed_in'
  | 'signed_out'
  | 'user_updated'
  | 'active_organization_changed'
  | 'organization_created'
  | 'organization_updated'
  | 'organization_deleted'
  | 'invitation_created'
  | 'invitation_revoked'
  | 'invitation_resent'
  | 'invitation_accepted'
  | 'invitation_declined'
  | 'membership_updated'
  | 'membership_removed'
  | 'domain_created'
  | 'domain_updated'
  | 'domain_deleted'
  | 'membership_request_accepted'
  | 'membership_request_rejected'
  | 'suggestion_accepted';

/**
 * One change: its kind and the organization it touched (`null` for session-wide changes such
 * as signing in or out).
 *
 * @example
 * ```ts
 * const event: RosterChangeEvent = { kind: 'invitation_created', organizationId: 'org_123' };
 * ```
 */
export interface RosterChangeEvent {
  kind: RosterChangeKind;
  organizationId: string | null;
}

/**
 * Called after every mutation. Errors it throws are reported, never passed to the mutation's caller.
 *
 * @example
 * ```ts
 * const listener: RosterChangeListener = (event) => console.log(event.kind);
 * ```
 */
export type RosterChangeListener = (event: RosterChangeEvent) => void;

/** A tiny synchronous emitter; the client owns one. */
export class ChangeEmitter {
  readonly #listeners = new Set<RosterChangeListener>();

  on(listener: RosterChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: RosterChangeEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        report(error);
      }
    }
  }
}

function report(error: unknown): void {
  const global = globalThis as { reportError?: (e: unknown) => void };
  if (typeof global.reportError === 'function') global.reportError(error);
  else console.error(error);
}
