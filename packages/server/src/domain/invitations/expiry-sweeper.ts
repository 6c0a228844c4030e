import type { EventSource } from '../events/events.js';
import type { Store } from '../store.js';
import { invitationEvent } from './invitations.js';

/**
 * Flips pending invitations past their expiry to `expired`, in batches, in the background.
 * Nothing depends on it for correctness (readers derive `expired` from `expires_at`, and the
 * kept counts subtract expired rows not swept yet); it keeps that subtraction small, so an
 * organization's counts stay a few index reads however many invitations it holds.
 *
 * It also deletes sign-in and sign-up attempts a day past their expiry: one is stored per reset or
 * sign-up start (for unknown addresses too), and nothing else ever removes one that was not
 * completed. The day keeps a late code answered `verification_expired` rather than "not found".
 * Added addresses (`pending_email_addresses`) are not attempts: their expiry is their code's, they
 * stay listed until removed or proved, and an account holds at most ten of them.
 */
export interface ExpirySweeper {
  /** Sweeps every `intervalMs`, starting now. Timers are unref'd. */
  start(): void;
  /** Stops and waits for the sweep in flight. */
  stop(): Promise<void>;
  /** Sweeps until nothing is due (or another instance holds the sweep); resolves with how many invitations expired. */
  sweep(): Promise<number>;
}

export function createExpirySweeper(options: {
  store: Store;
  now: () => number;
  /** Records `organizationInvitation.expired` for each row swept, in the sweep's own write. */
  events?: EventSource;
  /** Default 60 s. */
  intervalMs?: number;
  /** Rows per transaction. Default 1,000. */
  batchSize?: number;
  /** How long an attempt is kept past its expiry. Default a day. */
  attemptGraceMs?: number;
  onError?: (error: unknown) => void;
  /** Other expiry sweeps run on the same timer before this one (Idempotency-Key answers). */
  alsoSweep?: () => Promise<unknown>;
}): ExpirySweeper {
  const intervalMs = options.intervalMs ?? 60_000;
  const batchSize = options.batchSize ?? 1000;
  const attemptGraceMs = options.attemptGraceMs ?? 86_400_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const between = () => new Promise((resolve) => setImmediate(resolve)); // let requests in between batches

  async function sweepAll(): Promise<number> {
    // Its failure is reported and does not hold up the invitations' sweep.
    await options.alsoSweep?.().catch((error) => options.onError?.(error));
    let total = 0;
    for (;;) {
      const source = options.events;
      const expired = await options.store.expireInvitations({
        now: options.now(),
        limit: batchSize,
        ...(source && {
          events: (rows) =>
            source.build(
              options.store,
              rows.map((i) => invitationEvent('organizationInvitation.expired', i)),
            ),
        }),
      });
      total += expired;
      if (expired < batchSize) break;
      await between();
    }
    for (;;) {
      const gone = await options.store.deleteExpiredAttempts({
        before: options.now() - attemptGraceMs,
        limit: batchSize,
      });
      if (Math.max(gone.signIns, gone.signUps) < batchSize) return total;
      await between();
    }
  }

  function sweep(): Promise<number> {
    running ??= sweepAll().finally(() => {
      running = null;
    });
    return running;
  }

  function tick() {
    sweep()
      .catch((error) => options.onError?.(error))
      .finally(() => {
        if (timer) timer = setTimeout(tick, intervalMs).unref();
      });
  }

  return {
    start() {
      if (timer) return;
      timer = setTimeout(tick, 0).unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
    sweep,
  };
}
