/**
 * The HTTP ceiling: a bare `node:http` server that reads the request body and answers a fixed JSON
 * body about the size of Roster's invitation response. Nothing else happens per request, so its
 * rate is the most any Node HTTP server can do for this client on this machine.
 *
 * Env: PORT.
 */
import { createServer } from 'node:http';
import { exitWithParent } from '../orphan.js';

exitWithParent();

const body = Buffer.from(
  JSON.stringify({
    object: 'organization_invitation',
    id: 'orginv_2Qx0000000000000000000000000',
    email_address: 'someone@example.com',
    role: 'org:member',
    status: 'pending',
    padding: 'x'.repeat(700),
  }),
);

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
