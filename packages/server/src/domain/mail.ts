import { newId } from './crypto.js';
import type { Deps } from './deps.js';
import type { OutboxMessage } from './records.js';

/**
 * A message for the outbox, due now: stored in the same transaction as what it announces and sent
 * by the dispatcher. `payload` holds the template's values, secrets sealed.
 */
export function queuedMail(
  message: Pick<OutboxMessage, 'kind' | 'toAddress' | 'payload' | 'invitationId'> & { messageId?: string },
  now: number,
): OutboxMessage {
  const id = newId('msg');
  return {
    id,
    messageId: message.messageId ?? `<${id}@roster>`,
    kind: message.kind,
    toAddress: message.toAddress,
    payload: message.payload,
    invitationId: message.invitationId,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lockedUntil: null,
    lastError: null,
    createdAt: now,
    sentAt: null,
  };
}

/** How much mail waits for another attempt after a failure, and when the next one is due. */
export function countRetryingMail(deps: Deps): Promise<{ count: number; nextAttemptAt: number | null }> {
  return deps.store.countRetryingMail();
}

/**
 * Makes failed mail (all, or one invitation's) due now and wakes the dispatcher; answers how many
 * messages it made due.
 */
export async function retryMailNow(deps: Deps, options: { invitationId?: string } = {}): Promise<number> {
  const count = await deps.store.retryMailNow({ now: deps.now(), ...options });
  deps.mailQueued();
  return count;
}
