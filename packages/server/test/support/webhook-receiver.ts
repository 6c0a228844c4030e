import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server receiving webhooks. While `down`, it drops each connection without answering
 * (what an unreachable receiver looks like to the sender); `status` is what it answers otherwise.
 */
export interface WebhookReceiver {
  url: string;
  /** Every request that got an answer of `status`, in arrival order. */
  received: Received[];
  /** Requests refused while down. */
  refused: number;
  down: boolean;
  status: number;
  /** While true, requests wait unanswered (a slow receiver) until `release()`. */
  hold: boolean;
  /** Requests waiting unanswered whose connection is still open. */
  held(): number;
  /** Held requests whose sender hung up before an answer (a killed or timed-out sender). */
  dropped(): number;
  /** Answers every held request that is still connected (they count as received). */
  release(): void;
  /** Resolves once `predicate` holds for what has been received (checked on each arrival). */
  waitFor(predicate: (received: Received[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const waiters: { predicate: (r: Received[]) => boolean; resolve: () => void }[] = [];
  const waiting = new Set<() => void>();
  let dropped = 0;
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    refused: 0,
    down: false,
    status: 200,
    hold: false,
    held: () => waiting.size,
    dropped: () => dropped,
    release() {
      for (const answer of [...waiting]) answer();
    },
    waitFor(predicate) {
      if (predicate(receiver.received)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.hold) {
        const answer = () => {
          waiting.delete(answer);
          respond();
        };
        waiting.add(answer);
        // A sender that dies (or gives up) mid-request never saw an answer: not received.
        res.on('close', () => {
          if (waiting.delete(answer)) dropped += 1;
        });
        return;
      }
      respond();
    });
    function respond() {
      if (receiver.down) {
        receiver.refused += 1;
        req.socket.destroy();
        return;
      }
      const status = receiver.status;
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status < 300 ? 'ok' : `no thanks ${'x'.repeat(5000)}`);
      if (status >= 300) return;
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of [...waiters]) {
        if (w.predicate(receiver.received)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return receiver;
}
