/**
 * A local SMTP server that accepts every message, reads it to the end, discards it and counts it
 * by envelope sender (Roster and the peer send from different addresses). A tiny HTTP server on
 * PORT answers `GET /counts` with `{ counts: { "<sender>": n }, connections }` and `GET /healthz`.
 *
 * It speaks just enough ESMTP for nodemailer (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and
 * answers at once. The `smtp-server` package was not used here because it holds every new
 * connection's greeting for 100 ms (its early-talker check, not configurable), which would charge a
 * sender that opens a connection per message (Roster's default transport) for the sink's own pause.
 *
 * Env: PORT (HTTP control), SMTP_PORT.
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { exitWithParent } from './orphan.js';

exitWithParent();

const counts: Record<string, number> = {};
let connections = 0;

const EHLO = ['250-bench-sink', '250-PIPELINING', '250-8BITMIME', '250-SMTPUTF8', '250 SIZE 52428800', ''].join('\r\n');

const smtp = createTcpServer((socket) => {
  connections++;
  socket.setNoDelay(true);
  let buffer = '';
  let inData = false;
  let from = '';
  socket.on('error', () => {});
  socket.write('220 bench-sink ESMTP\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let out = '';
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) {
          buffer = buffer.slice(-4); // the terminator may straddle two chunks
          break;
        }
        buffer = buffer.slice(end + 5);
        inData = false;
        counts[from] = (counts[from] ?? 0) + 1;
        out += '250 2.0.0 Ok: queued\r\n';
        continue;
      }
      const newline = buffer.indexOf('\r\n');
      if (newline < 0) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') out += EHLO;
      else if (verb === 'HELO') out += '250 bench-sink\r\n';
      else if (verb === 'MAIL') {
        from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        out += '250 2.1.0 Ok\r\n';
      } else if (verb === 'RCPT') out += '250 2.1.5 Ok\r\n';
      else if (verb === 'DATA') {
        inData = true;
        buffer = `\r\n${buffer}`; // so an empty body's lone "." line is found like any other end
        out += '354 End data with <CR><LF>.<CR><LF>\r\n';
      } else if (verb === 'RSET' || verb === 'NOOP') out += '250 2.0.0 Ok\r\n';
      else if (verb === 'QUIT') {
        socket.end(`${out}221 2.0.0 Bye\r\n`);
        return;
      } else out += '502 5.5.2 Command not implemented\r\n';
    }
    if (out) socket.write(out);
  });
});
smtp.listen(Number(process.env.SMTP_PORT), '127.0.0.1');

const http = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(req.url === '/counts' ? JSON.stringify({ counts, connections }) : '{"status":"ok"}');
});
http.keepAliveTimeout = 120_000;
http.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', () => {
  http.close();
  smtp.close();
  process.exit(0);
});
