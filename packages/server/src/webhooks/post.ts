import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One webhook POST over node:http(s) with kept-alive connections: the body sent, the status and
 * up to `maxBody` characters of the answer read, no redirect followed (a redirect could lead
 * anywhere, the guarded ranges included), the whole exchange bounded by `timeoutMs`. Used instead
 * of `fetch`, whose web-stream plumbing cost about half a millisecond of CPU per delivery (bench:
 * the webhook rows). Failures reject with the socket's error as `cause` (`ECONNREFUSED`, …), or
 * an error named `TimeoutError`, as fetch's did.
 */

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 16 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
};

export interface PostResult {
  status: number;
  body: string;
}

export function postWebhook(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; maxBody: number },
): Promise<PostResult> {
  const target = new URL(url);
  const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const req = send(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...options.headers, 'content-length': String(payload.length) },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (cut: boolean) => {
          const text = Buffer.concat(chunks).toString('utf8');
          done(null, {
            status: res.statusCode ?? 0,
            body: text.length > options.maxBody ? `${text.slice(0, options.maxBody)}…` : text,
          });
          if (cut) res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          if (size >= options.maxBody) return;
          chunks.push(chunk);
          size += chunk.length;
          // Enough kept: the rest is not read (the connection is dropped rather than drained).
          if (size >= options.maxBody) finish(true);
        });
        res.on('end', () => finish(false));
        res.on('error', (error) => done(new Error('webhook response failed', { cause: error })));
      },
    );
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${options.timeoutMs} ms`);
      error.name = 'TimeoutError';
      done(error);
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error) => done(new Error('webhook request failed', { cause: error })));
    req.end(payload);
  });
}
