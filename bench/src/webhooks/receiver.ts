/**
 * A local webhook receiver: a bare `node:http` server that reads each POST to the end and answers
 * 204, nothing else (no signature check: the receiver's own cost is not what is measured). It
 * counts what it received; `GET /count` answers `{ count, lastAt }` (`lastAt`: `Date.now()` of the
 * last receipt, so the bench can time first enqueue to last receipt across processes).
 *
 * Env: PORT.
 */
import { createServer } from 'node:http';
import { exitWithParent } from '../orphan.js';

exitWithParent();

let count = 0;
let lastAt = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.on('data', () => {});
    req.on('end', () => {
      count++;
      lastAt = Date.now();
      res.writeHead(204);
      res.end();
    });
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(req.url === '/count' ? JSON.stringify({ count, lastAt }) : '{"status":"ok"}');
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
