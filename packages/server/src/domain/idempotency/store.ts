/**
 * A stored Idempotency-Key (decision 023). `id` is a hash of the caller and the key, so rows of
 * one caller are out of every other caller's reach by construction. `response` is null while
 * the first request with the key runs, and sealed (it can hold an invitation link) once written.
 */
export interface IdempotencyRecord {
  id: string;
  requestHash: string;
  /** Names the run that holds the key while `response` is null. */
  claim: string;
  response: string | null;
  createdAt: number;
  expiresAt: number;
}

/** What idempotent requests need from storage; every write is conditional, so races are decided by the database. */
export interface IdempotencyStore {
  /**
   * Takes the key for one run: inserts the row, or takes over a row that has expired or whose run
   * has held it since before `staleBefore` without answering (a crashed instance) and was made for
   * the same request. Answers `claimed` when this run holds it, otherwise the row as it stands
   * (the caller answers from it: replay, reused, or in use). Of any number of concurrent claims
   * on one key, exactly one is `claimed`.
   */
  claimIdempotencyKey(options: {
    record: Omit<IdempotencyRecord, 'response'>;
    now: number;
    staleBefore: number;
  }): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }>;
  /** Stores the answer, only while `claim` still holds the key. Answers whether it was stored. */
  completeIdempotencyKey(options: { id: string; claim: string; response: string }): Promise<boolean>;
  /** Drops the key (the run failed and may be retried), only while `claim` still holds it. */
  releaseIdempotencyKey(options: { id: string; claim: string }): Promise<void>;
  /** Deletes up to `limit` rows past their expiry; answers how many. */
  deleteExpiredIdempotencyKeys(options: { now: number; limit: number }): Promise<number>;
}

/** Deletes expired keys in batches until none is left; answers how many went. */
export async function sweepIdempotencyKeys(
  store: Pick<IdempotencyStore, 'deleteExpiredIdempotencyKeys'>,
  now: number,
  batchSize = 1000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.deleteExpiredIdempotencyKeys({ now, limit: batchSize });
    total += deleted;
    if (deleted < batchSize) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
