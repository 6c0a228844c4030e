import { createServer } from 'node:net';
import type { Kysely } from 'kysely';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { newId } from '../../src/domain/crypto.js';
import type { SecretBox } from '../../src/domain/deps.js';
import { queuedMail } from '../../src/domain/mail.js';
import type { OutboxMessage } from '../../src/domain/records.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { KyselyStore } from '../../src/storage/kysely-store.js';
import { migrate } from '../../src/storage/migrations.js';

/** Shared fixtures for the email tests: a real SQLite store, a real SMTP server, a settable clock. */

export interface TestDb {
  handle: DatabaseHandle;
  store: KyselyStore;
}

/** A migrated in-memory SQLite database and the store over it. */
export async function openTestDb(): Promise<TestDb> {
  const handle = openDatabase(':memory:');
  // migrate() takes Kysely<unknown> (it runs before any table exists); the typed handle is the same object.
  await migrate(handle.db as unknown as Kysely<unknown>, 'sqlite');
  return { handle, store: new KyselyStore(handle.db, 'sqlite') };
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (no auth, no TLS) on `port` (0 = any free port) that parses what it receives. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A clock tests move by hand. */
export function testClock(start = Date.UTC(2026, 0, 15, 9, 30)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export const INVITE_URL = 'https://roster.example.test/accept-invitation?ticket=tok_Zx9-secretTicketValue_123';

/** An `organization_invitation` outbox message as the domain queues it (its link sealed). */
export function invitationMessage(box: SecretBox, now: number, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  const message = queuedMail(
    {
      kind: 'organization_invitation',
      toAddress: 'ada@example.org',
      payload: {
        organizationName: 'Acme Corp',
        inviterName: 'Grace Hopper',
        roleName: 'Member',
        expiresAt: now + 30 * 86_400_000,
        url: box.seal(INVITE_URL),
      },
      // The outbox row references an invitation; tests without one leave it null.
      invitationId: null,
      messageId: `<${newId('orginv')}@roster>`,
    },
    now,
  );
  return { ...message, ...overrides };
}

/** A `verification_code` outbox message as `startSignUp` queues it. */
export function verificationMessage(box: SecretBox, now: number, code: string): OutboxMessage {
  return {
    ...invitationMessage(box, now),
    kind: 'verification_code',
    toAddress: 'new.user@example.net',
    payload: { code: box.seal(code), expiresAt: now + 600_000 },
    messageId: `<${newId('msg')}@roster>`,
  };
}

/** The href values of the anchors in an HTML string. */
export function hrefsIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}
