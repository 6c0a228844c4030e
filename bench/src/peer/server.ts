/**
 * The peer: Better Auth with its organization plugin, as a plain Node HTTP server (child process).
 *
 * Configured as a throughput-minded operator would: rate limits off, telemetry off, limits raised
 * so the benchmark's organizations fit, invitation mail sent through nodemailer to the bench's
 * local SMTP sink from a pooled transport, in the background (Better Auth's `backgroundTasks`
 * hook), so the request does not wait for SMTP. SQLite gets the same pragmas Roster sets.
 *
 * Env: PORT, DATABASE_URL (`file:/path` or `postgres://…`), SMTP_URL, MAIL_FROM, BETTER_AUTH_SECRET.
 */
import { createServer } from 'node:http';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { organization } from 'better-auth/plugins';
import SqliteDatabase from 'better-sqlite3';
import { createTransport } from 'nodemailer';
import pg from 'pg';
import { exitWithParent } from '../orphan.js';

exitWithParent();

const port = Number(process.env.PORT);
const databaseUrl = process.env.DATABASE_URL ?? '';
const baseURL = `http://127.0.0.1:${port}`;

function openDatabase() {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const sqlite = new SqliteDatabase(databaseUrl.replace(/^file:/, ''));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

// Pooled, with as many connections as Roster's dispatcher sends at once (10).
const mailer = createTransport({ url: process.env.SMTP_URL, pool: true, maxConnections: 10 } as never);
let mailErrors = 0;

export const auth = betterAuth({
  baseURL,
  secret: process.env.BETTER_AUTH_SECRET,
  database: openDatabase(),
  emailAndPassword: { enabled: true, autoSignIn: true, requireEmailVerification: false },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  trustedOrigins: [baseURL],
  advanced: {
    // Invitation mail leaves the request path, as Roster's outbox does.
    backgroundTasks: { handler: (promise) => void promise },
  },
  plugins: [
    organization({
      invitationLimit: 100_000_000,
      membershipLimit: 100_000_000,
      requireEmailVerificationOnInvitation: false,
      invitationExpiresIn: 30 * 86_400,
      sendInvitationEmail: async (data) => {
        const url = `${baseURL}/accept-invitation/${data.id}`;
        try {
          await mailer.sendMail({
            from: `Peer <${process.env.MAIL_FROM ?? 'no-reply@localhost'}>`,
            to: data.email,
            subject: `${data.inviter.user.name} invited you to ${data.organization.name}`,
            text: `You have been invited to join ${data.organization.name} as ${data.role}.\n\nAccept: ${url}\n`,
            html: `<p>You have been invited to join <b>${data.organization.name}</b> as ${data.role}.</p><p><a href="${url}">Accept</a></p>`,
          });
        } catch {
          mailErrors++;
        }
      },
    }),
  ],
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const handler = toNodeHandler(auth);
const server = createServer((req, res) => {
  if (req.url === '/bench/mail-errors') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ mailErrors }));
    return;
  }
  void handler(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`peer listening on ${baseURL}`));

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  mailer.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
