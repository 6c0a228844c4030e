import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from './post.js';

let server: Server | null = null;

async function receiver(handle: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

const send = (url: string, timeoutMs = 2_000) =>
  postWebhook(url, { headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs, maxBody: 16 });

describe('postWebhook', () => {
  it('sends the body with its headers and keeps the status and the start of the answer', async () => {
    let received = '';
    let type = '';
    const url = await receiver((req, res) => {
      type = req.headers['content-type'] ?? '';
      req.on('data', (d) => (received += d));
      req.on('end', () => res.writeHead(400).end('x'.repeat(5_000)));
    });
    const result = await send(url);
    expect(result).toEqual({ status: 400, body: `${'x'.repeat(16)}…` });
    expect([received, type]).toEqual(['{"a":1}', 'application/json']);
    // A short answer comes back whole, on the kept-alive connection or a new one.
    server!.removeAllListeners('request');
    server!.on('request', (_req, res) => res.writeHead(204).end());
    expect(await send(url)).toEqual({ status: 204, body: '' });
  });

  it('does not follow a redirect', async () => {
    const url = await receiver((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end());
    expect((await send(url)).status).toBe(302);
  });

  it('gives up after the timeout with a TimeoutError', async () => {
    const url = await receiver(() => {}); // never answers
    await expect(send(url, 200)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with the socket error as the cause when nothing listens', async () => {
    const url = await receiver(() => {});
    await new Promise((resolve) => server!.close(resolve));
    server = null;
    await expect(send(url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});
