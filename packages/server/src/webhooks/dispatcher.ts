import type { SecretBox } from '../domain/deps.js';
import type { DomainEvent } from '../domain/events/events.js';
import type { ClaimedDelivery, DeliveryOutcome, WebhookStore, WebhookUrlCheck } from '../domain/webhooks/webhooks.js';
import type { DispatcherLog } from '../email/dispatcher.js';
import { postWebhook } from './post.js';
import { type WebhookSigner, webhookSigner } from './sign.js';

/**
 * The webhook dispatcher, the mail dispatcher's sibling (decision 022): claims due deliveries under
 * a lease renewed while they are being sent (so several instances share the work and a crashed
 * one's deliveries wait at most one lease), POSTs each event in Clerk's envelope, signed per
 * Standard Webhooks, and records the outcomes of a batch in one statement. At-least-once: a crash
 * between sending and recording sends again after the lease, with the same `webhook-id`.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Svix's schedule: the first attempt at once, then these waits before each retry. */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/** The wait before retry number `attempt` (1-based, after `attempt` failures), ±10% jitter; null: give up. */
export function svixBackoff(attempt: number): number | null {
  const base = RETRY_SCHEDULE_MS[attempt - 1];
  return base === undefined ? null : Math.round(base * (0.9 + Math.random() * 0.2));
}

/** What the log keeps of a response body. */
const MAX_RESPONSE_BODY = 1_024;

export interface WebhookDispatcherOptions {
  store: WebhookStore;
  secrets: SecretBox;
  /** Checks the endpoint's URL again before each send (its host may resolve elsewhere now). */
  checkUrl: WebhookUrlCheck;
  /** Names this process as the lease owner; unique per process. */
  instanceId: string;
  /** The envelope's `instance_id`: names this Roster instance (the same on all its processes). */
  rosterInstanceId: string;
  /** Default 30 s. */
  leaseMs?: number;
  /** One attempt's limit, connect to last byte. Default 15 s. */
  timeoutMs?: number;
  /** Default 1 s. */
  pollMs?: number;
  /** Default 20. */
  batchSize?: number;
  /**
   * How long a kick waits before claiming, so the events of requests arriving meanwhile go out in
   * the same claim (every write request kicks). Default 20 ms.
   */
  gatherMs?: number;
  /** Wait before retry `attempt`, null to give up. Default `svixBackoff`. */
  backoffMs?: (attempt: number) => number | null;
  /** An endpoint failing for this long is disabled. Default 5 days. */
  disableAfterMs?: number;
  now?: () => number;
  log?: DispatcherLog;
  /** Called with the ids of endpoints a batch disabled. */
  onDisabled?: (endpointIds: string[]) => void;
}

export interface WebhookDispatcher {
  start(): void;
  stop(): Promise<void>;
  kick(): void;
  /** Runs until nothing is due; resolves with how many deliveries succeeded. */
  drain(): Promise<number>;
}

/**
 * The body receivers get: Clerk's envelope. `payload` is stored as the object's JSON text, so it is
 * spliced in as it is rather than parsed and serialized again for every delivery.
 */
export function envelope(event: DomainEvent, instanceId: string): string {
  const text = JSON.stringify;
  return `{"object":"event","type":${text(event.type)},"data":${event.payload},"timestamp":${event.createdAt},"instance_id":${text(instanceId)},"event_attributes":{"http_request":{"client_ip":${text(event.ip ?? '')},"user_agent":${text(event.userAgent ?? '')}}}}`;
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = [e?.cause?.code, e?.name === 'TimeoutError' ? 'timed out' : (e?.cause?.message ?? e?.message)]
    .filter(Boolean)
    .join(': ');
  return (text || String(error)).replace(/\s+/g, ' ').slice(0, 300);
}

const silent: DispatcherLog = { info() {}, warn() {} };

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { store, secrets, instanceId } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = Math.max(1, options.batchSize ?? 20);
  const gatherMs = Math.max(0, options.gatherMs ?? 20);
  const backoffMs = options.backoffMs ?? svixBackoff;
  const disableAfterMs = options.disableAfterMs ?? 5 * 24 * HOUR;
  const now = options.now ?? Date.now;
  const log = options.log ?? silent;
  const renewEveryMs = Math.max(100, Math.floor(leaseMs / 3));

  let stopped = false;
  let interval: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let kickQueued = false;
  // One signer per sealed secret: opening the secret and decoding its key once, not per delivery.
  // A rotated secret is a new sealed value (a new signer); the map is emptied before it grows large.
  const signers = new Map<string, WebhookSigner>();
  const signerFor = (sealed: string): WebhookSigner => {
    let signer = signers.get(sealed);
    if (!signer) {
      if (signers.size >= 256) signers.clear();
      signer = webhookSigner(secrets.open(sealed));
      signers.set(sealed, signer);
    }
    return signer;
  };

  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = chain.then(work);
    chain = result.catch(() => undefined);
    return result;
  }

  async function attempt({ delivery, event, endpoint }: ClaimedDelivery): Promise<DeliveryOutcome> {
    const attempts = delivery.attempts + 1;
    const started = performance.now();
    let responseStatus: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      await options.checkUrl(endpoint.url);
      const body = envelope(event, options.rosterInstanceId);
      // The wall clock, whatever `now` is: receivers check it against theirs (5 minutes' tolerance).
      const headers = signerFor(endpoint.sealedSecret)({ id: delivery.id, timestamp: new Date(), body });
      const res = await postWebhook(endpoint.url, {
        headers: { 'content-type': 'application/json', 'user-agent': 'Roster-Webhooks/1', ...headers },
        body,
        timeoutMs,
        maxBody: MAX_RESPONSE_BODY,
      });
      responseStatus = res.status;
      responseBody = res.body;
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (e) {
      error = describe(e);
    }
    const durationMs = Math.round(performance.now() - started);
    const base = { id: delivery.id, endpointId: endpoint.id, attempts, responseStatus, responseBody, durationMs };
    const meta = { deliveryId: delivery.id, endpointId: endpoint.id, eventType: event.type, attempt: attempts };
    if (error === null) {
      // Logged per batch (see `pass`): a line per delivery cost as much as a third of sending it,
      // and each delivery's status, answer and duration are in its row anyway.
      return {
        ...base,
        status: 'delivered',
        nextAttemptAt: delivery.nextAttemptAt,
        lastError: null,
        deliveredAt: now(),
      };
    }
    const wait = backoffMs(attempts);
    const failed = wait === null;
    log.warn({ ...meta, error, status: responseStatus, failed }, 'webhook delivery failed');
    return {
      ...base,
      status: failed ? 'failed' : 'pending',
      nextAttemptAt: failed ? delivery.nextAttemptAt : now() + Math.max(0, wait),
      lastError: error,
      deliveredAt: null,
    };
  }

  /** One endpoint's deliveries one after another (in event order); endpoints side by side. */
  async function sendBatch(batch: ClaimedDelivery[]): Promise<DeliveryOutcome[]> {
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const c of batch) byEndpoint.set(c.endpoint.id, [...(byEndpoint.get(c.endpoint.id) ?? []), c]);
    const outcomes = await Promise.all(
      [...byEndpoint.values()].map(async (list) => {
        const done: DeliveryOutcome[] = [];
        for (const c of list) done.push(await attempt(c));
        return done;
      }),
    );
    return outcomes.flat();
  }

  function keepClaimed(ids: string[]) {
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = store
        .renewWebhookLease({ ids, now: now(), leaseMs, owner: instanceId })
        .catch((error: unknown) => log.warn({ error: describe(error) }, 'webhook claim renewal failed'));
    }, renewEveryMs);
    timer.unref();
    return { stop: () => clearInterval(timer), settled: () => renewing };
  }

  async function pass(keepGoing: () => boolean): Promise<number> {
    let delivered = 0;
    while (keepGoing()) {
      const batch = await store.claimWebhookDeliveries({ now: now(), leaseMs, limit: batchSize, owner: instanceId });
      if (batch.length === 0) break;
      const renewing = keepClaimed(batch.map((c) => c.delivery.id));
      const outcomes = await sendBatch(batch).finally(renewing.stop);
      await renewing.settled();
      const disabled = await store.completeWebhookDeliveries(instanceId, outcomes, { now: now(), disableAfterMs });
      if (disabled.length > 0) {
        log.warn({ endpointIds: disabled }, 'webhook endpoints disabled after failing');
        options.onDisabled?.(disabled);
      }
      const sent = outcomes.filter((o) => o.status === 'delivered');
      if (sent.length > 0) {
        log.info(
          {
            delivered: sent.length,
            endpointIds: [...new Set(sent.map((o) => o.endpointId))],
            maxDurationMs: Math.max(...sent.map((o) => o.durationMs)),
          },
          'webhooks delivered',
        );
      }
      delivered += sent.length;
    }
    return delivered;
  }

  function kick(): void {
    if (stopped || kickQueued) return;
    kickQueued = true;
    void exclusive(async () => {
      if (gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      kickQueued = false;
      if (stopped) return;
      try {
        await pass(() => !stopped);
      } catch (error) {
        log.warn({ error: describe(error) }, 'webhook dispatch pass failed');
      }
    });
  }

  return {
    start() {
      if (stopped || interval) return;
      interval = setInterval(kick, pollMs);
      interval.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      interval = null;
      await chain;
    },
    kick,
    drain: () => exclusive(() => pass(() => true)),
  };
}
