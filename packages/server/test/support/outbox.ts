import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import type { TestSmtp } from './smtp.js';

/** How often the outbox and the SMTP server are looked at while waiting. */
const CHECK_EVERY_MS = 25;

/**
 * Waits until the outbox has settled: no message queued or claimed by a dispatcher, no connection
 * open to the test SMTP server (no send in flight), and both still so for one whole dispatcher poll
 * interval, so that every running dispatcher has looked for due messages since. A test calls it
 * before checking that a message arrived exactly once: a second copy would have been received by
 * then, or would still hold a claim or a connection, and the wait would go on.
 *
 * `env` is the environment the Roster processes were started with: it gives the database (read
 * through a connection of its own, so PostgreSQL only) and the poll interval (`ROSTER_OUTBOX_POLL_MS`,
 * parsed by the server's own config, default included). A message still unfinished after
 * `timeoutMs` (one waiting for a retry, say) fails the wait with the rows that are.
 */
export async function waitForSettledOutbox(
  env: Record<string, string>,
  smtp: Pick<TestSmtp, 'openConnections'>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const config = loadConfig(env);
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) throw new Error('waitForSettledOutbox needs PostgreSQL');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let settledSince: number | null = null;
    for (;;) {
      const { rows } = await client.query(
        `select id, status, locked_by, attempts, last_error from outbox where status = 'queued' or locked_by is not null`,
      );
      const connections = smtp.openConnections();
      if (rows.length > 0 || connections > 0) {
        settledSince = null;
        if (Date.now() > deadline) {
          throw new Error(
            `the outbox did not settle within ${timeoutMs} ms: ${connections} SMTP connection(s) open, unfinished: ${JSON.stringify(rows)}`,
          );
        }
      } else {
        settledSince ??= Date.now();
        if (Date.now() - settledSince >= config.outboxPollMs) return;
      }
      await new Promise((r) => setTimeout(r, CHECK_EVERY_MS));
    }
  } finally {
    await client.end();
  }
}
