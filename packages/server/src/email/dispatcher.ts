import { newId } from '../domain/crypto.js';
import type { SecretBox } from '../domain/deps.js';
import type { DomainEvent } from '../domain/events/events.js';
import type { OutboxMessage } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import type { CustomTemplates } from './custom-templates.js';
import { PermanentMailError, payloadWithoutSecrets, renderOutboxMessage } from './render.js';
import type { MailBrand } from './templates/layout.js';
import type { MailTransport } from './transports.js';

/**
 * The outbox dispatcher: claims due messages under a lease (so several server processes can run
 * one each), opens their sealed secrets, renders, sends, and records the outcome. The lease is
 * short and renewed while a batch is sending, so a slow send keeps its claim and a crashed
 * process's mail waits at most one lease. Delivery is at-least-once: a crash between sending and
 * recording resends after the lease, with the same Message-ID so receivers can tell (decision 018).
 * Secrets never reach logs or `last_error`, and leave the database once a message is finished
 * (sent or failed for good).
 */

const HOUR_MS = 3_600_000;

/** Structured logger (pino-compatible subset). */
export interface DispatcherLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  store: Store;
  transport: MailTransport;
  secrets: SecretBox;
  /** The From header, e.g. `Acme <no-reply@acme.test>`. */
  from: string;
  /** Names this process as the lease owner; unique per process. */
  instanceId: string;
  /** The language of the mail (`ROSTER_LOCALE`). Default `en`. */
  locale?: string;
  /** The operator's templates (`ROSTER_EMAIL_TEMPLATES_DIR`), over the built-in ones. */
  templates?: CustomTemplates | null;
  /** The instance's name, logo and colour on every mail (decision 050). */
  brand?: MailBrand;
  /**
   * How long a claim keeps other dispatchers off a message; renewed every third of it while the
   * batch is sending. What another process waits for after this one dies. Default 15 s.
   */
  leaseMs?: number;
  /** How long one send may take before it counts as failed (and is retried). Default 30 s. */
  sendTimeoutMs?: number;
  /** How often to look for due messages besides `kick()`. Default 1 s. */
  pollMs?: number;
  /** Attempts before a message is `failed`. Default 8. */
  maxAttempts?: number;
  /** Delay before retry number `attempt + 1`, given the attempts made so far. Default `defaultBackoff`. */
  backoffMs?: (attempt: number) => number;
  /** Messages claimed (and sent concurrently) per round. Default 10. */
  batchSize?: number;
  /**
   * How long a kick waits before claiming, so mail queued by requests arriving meanwhile goes out
   * in the same batch (one claim and one record for many messages). Default 20 ms.
   */
  gatherMs?: number;
  now?: () => number;
  /** Called with each failed delivery's error and the outbox message id (`msg_...`). */
  onError?: (err: unknown, messageId: string) => void;
  /** Called after a batch's outcomes (and their `email.*` events) are recorded: the server sends the webhooks then. */
  onRecorded?: () => void;
  log?: DispatcherLog;
}

export interface Dispatcher {
  /** Polls every `pollMs` and runs a first pass at once. Timers are unref'd. */
  start(): void;
  /** Stops polling and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Asks for a pass now; coalesced with one already waiting, never overlapping one running. */
  kick(): void;
  /** Runs until no message is due; resolves with how many were sent. */
  drain(): Promise<number>;
}

/** 5 s, 10 s, 20 s, ... doubling per attempt, capped at one hour, with ±20% jitter. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(HOUR_MS, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.min(HOUR_MS, Math.round(base * (0.8 + Math.random() * 0.4)));
}

function domainOf(address: string): string {
  return (address.split('@').pop() ?? '').trim().toLowerCase().slice(0, 255);
}

/** A short, single-line description of an error with the given values blanked out. */
function describe(error: unknown, hidden: string[]): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  const code = [e.code, e.responseCode].filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
  let text = `${code ? `${code}: ` : ''}${message}`.replace(/\s+/g, ' ').trim();
  for (const value of hidden) if (value) text = text.split(value).join('[redacted]');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const silent: DispatcherLog = { info() {}, warn() {} };

type Patch = Parameters<Store['completeMails']>[1][number]['patch'];

/**
 * The `email.delivered` / `email.failed` event of one send (decision 043): what an operator needs
 * to see a mail's fate in the audit log and a webhook receiver needs to react, never its content
 * (which carries the link or the code). `status` tells a failure to be retried from a final one.
 */
function mailEvent(m: OutboxMessage, patch: Patch, at: number): DomainEvent {
  const status = patch.status === 'sent' ? 'delivered' : patch.status === 'failed' ? 'failed' : 'retrying';
  return {
    id: newId('evt'),
    type: status === 'delivered' ? 'email.delivered' : 'email.failed',
    organizationId: null, // the store fills in an invitation mail's organization
    actor: 'system',
    ip: null,
    userAgent: null,
    requestId: null,
    createdAt: at,
    payload: JSON.stringify({
      object: 'email',
      id: m.id,
      kind: m.kind,
      to_email_address: m.toAddress,
      invitation_id: m.invitationId,
      status,
      attempts: patch.attempts,
      error: patch.lastError,
      next_attempt_at: status === 'retrying' ? patch.nextAttemptAt : null,
      delivered_at: patch.sentAt,
      created_at: m.createdAt,
    }),
  };
}

/**
 * Creates the outbox dispatcher.
 *
 * @example
 * const dispatcher = createDispatcher({ store, transport: smtpTransport(url), secrets, from, instanceId });
 * dispatcher.start();
 * // deps.mailQueued = () => dispatcher.kick();
 * process.on('SIGTERM', () => dispatcher.stop());
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, transport, secrets, from, instanceId } = options;
  const leaseMs = options.leaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  const backoffMs = options.backoffMs ?? defaultBackoff;
  const batchSize = Math.max(1, options.batchSize ?? 10);
  const gatherMs = Math.max(0, options.gatherMs ?? 20);
  const now = options.now ?? Date.now;
  const log = options.log ?? silent;
  const sendTimeoutMs = Math.max(1_000, options.sendTimeoutMs ?? 30_000);
  // Three renewals per lease: one lost or late renewal still leaves the claim standing.
  const renewEveryMs = Math.max(100, Math.floor(leaseMs / 3));

  let stopped = false;
  let interval: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let kickQueued = false;

  /** Runs `work` after everything queued before it: passes never overlap within this dispatcher. */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = chain.then(work);
    chain = result.catch(() => undefined);
    return result;
  }

  /** The outcome of one send, to be recorded with the rest of its batch. */
  interface Outcome {
    message: OutboxMessage;
    patch: Patch;
    /** Logs the outcome and calls the error hook, once it is recorded. */
    report(): void;
  }

  async function deliver(m: OutboxMessage): Promise<Outcome> {
    const attempt = m.attempts + 1;
    const meta = { messageId: m.id, kind: m.kind, attempt, recipientDomain: domainOf(m.toAddress) };
    let opened: string[] = [];
    try {
      const { mail, secrets: values } = renderOutboxMessage(m, secrets, {
        locale: options.locale,
        templates: options.templates,
        brand: options.brand,
      });
      opened = values;
      await withTimeout(transport.send({ from, to: m.toAddress, messageId: m.messageId, ...mail }), sendTimeoutMs);
    } catch (error) {
      const permanent = error instanceof PermanentMailError;
      const failed = permanent || attempt >= maxAttempts;
      const delay = failed ? 0 : backoffMs(attempt);
      const nextAttemptAt = failed ? m.nextAttemptAt : now() + (Number.isFinite(delay) ? Math.max(0, delay) : HOUR_MS);
      return {
        message: m,
        patch: {
          status: failed ? 'failed' : 'queued',
          attempts: attempt,
          lastError: describe(error, opened),
          sentAt: null,
          nextAttemptAt,
          payload: failed ? payloadWithoutSecrets(m) : m.payload,
        },
        report() {
          const logged = { ...meta, error: describe(error, [...opened, m.toAddress]), permanent };
          if (failed) log.warn(logged, 'mail delivery failed for good');
          else log.warn({ ...logged, nextAttemptAt }, 'mail delivery failed; will retry');
          try {
            options.onError?.(error, m.id);
          } catch {
            // A failing error hook must not undo the bookkeeping.
          }
        },
      };
    }
    return {
      message: m,
      patch: {
        status: 'sent',
        attempts: attempt,
        lastError: null,
        sentAt: now(),
        nextAttemptAt: m.nextAttemptAt,
        payload: payloadWithoutSecrets(m),
      },
      report: () => log.info(meta, 'mail sent'),
    };
  }

  /**
   * The heartbeat of a batch being sent: renews this process's claims on `ids` every third of the
   * lease until `stop()`, so a send slower than the lease is not taken (and sent again) by another
   * dispatcher. A failed renewal is logged and tried again at the next beat; the record of the
   * outcomes still checks the claim, so a message another dispatcher took meanwhile keeps theirs.
   */
  function keepClaimed(ids: string[]): { stop: () => void; settled: () => Promise<void> } {
    let renewal: Promise<void> = Promise.resolve();
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing) return; // one renewal at a time; the next beat tries again
      renewing = true;
      renewal = store
        .renewMailLease({ ids, now: now(), leaseMs, owner: instanceId })
        .then(
          (kept) => {
            if (kept < ids.length) log.warn({ claimed: ids.length, kept }, 'mail claims lost while sending');
          },
          (error: unknown) => log.warn({ error: describe(error, []) }, 'mail claim renewal failed'),
        )
        .finally(() => {
          renewing = false;
        });
    }, renewEveryMs);
    timer.unref();
    return { stop: () => clearInterval(timer), settled: () => renewal };
  }

  /**
   * Claims and delivers batches until none is due (or `keepGoing` says stop); returns how many
   * were sent. A batch's messages go out concurrently and their outcomes are recorded together,
   * in one statement, once the last send of the batch has ended.
   */
  async function pass(keepGoing: () => boolean): Promise<number> {
    let sent = 0;
    while (keepGoing()) {
      const batch = await store.claimMail({ now: now(), leaseMs, limit: batchSize, owner: instanceId });
      if (batch.length === 0) break;
      const renewing = keepClaimed(batch.map((m) => m.id));
      const outcomes = await Promise.all(batch.map(deliver)).finally(renewing.stop);
      await renewing.settled();
      const at = now();
      await store.completeMails(
        instanceId,
        outcomes.map((o) => ({ id: o.message.id, patch: o.patch, event: mailEvent(o.message, o.patch, at) })),
      );
      options.onRecorded?.();
      for (const o of outcomes) {
        o.report();
        if (o.patch.status === 'sent') sent += 1;
      }
    }
    return sent;
  }

  function kick(): void {
    if (stopped || kickQueued) return;
    kickQueued = true;
    void exclusive(async () => {
      // Not unref'd: `stop()` may be waiting on this pass, and an empty event loop would end the process first.
      if (gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      kickQueued = false;
      if (stopped) return;
      try {
        await pass(() => !stopped);
      } catch (error) {
        log.warn({ error: describe(error, []) }, 'mail dispatch pass failed');
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
    drain() {
      return exclusive(() => pass(() => true));
    },
  };
}
