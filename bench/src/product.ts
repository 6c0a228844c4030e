import { createHash, randomBytes } from 'node:crypto';
import type { Dialect } from './db.js';
import type { LoadStep } from './load.js';
import type { ServerProcess } from './processes.js';

/**
 * What the bench needs from each product: a running server, an admin signed in, and, for every
 * kind of work, the request(s) one operation makes. Seeding writes straight into the product's
 * own tables (never through its API), so large organizations take seconds to prepare.
 */

export type ProductKey = 'roster' | 'peer';

export const PASSWORD = 'correct horse battery staple 42';

/** A pending invitation the bench seeded, with what each product's accept call needs. */
export interface SeededInvitation {
  id: string;
  email: string;
  /** Roster: the raw link token; peer: the invitation id (its link carries the id). */
  ticket: string;
}

/** An existing, signed-in user with a pending invitation to accept. */
export interface SeededInvitee extends SeededInvitation {
  headers: Record<string, string>;
}

export interface Product {
  key: ProductKey;
  name: string;
  dialect: Dialect;
  server: ServerProcess;
  /** Envelope sender of this product's mail, as the SMTP sink counts it. */
  mailSender: string;
  /** How passwords are hashed, for the notes. */
  passwordHash: string;

  /** A new organization whose admin is the bench's signed-in admin, made through the API. */
  createOrganization(tag: string): Promise<string>;
  /** An organization with `count` pending invitations, written directly into the tables. */
  seedOrganization(tag: string, count: number): Promise<string>;
  /** `count` pending invitations to fresh addresses, with their tickets. */
  seedInvitations(orgId: string, count: number): Promise<SeededInvitation[]>;
  /** `count` existing users, each signed in and with a pending invitation. */
  seedInvitees(orgId: string, count: number): Promise<SeededInvitee[]>;
  countInvitations(orgId: string): Promise<number>;

  signUp(next: () => string): LoadStep[];
  invite(orgId: string, next: () => string): LoadStep[];
  inviteBulk(orgId: string, next: () => string[]): LoadStep[] | null;
  listFirstPage(orgId: string): LoadStep[];
  revoke(orgId: string, next: () => SeededInvitation): LoadStep[];
  acceptAsNewUser(next: () => SeededInvitation): LoadStep[];
  acceptAsExistingUser(next: () => SeededInvitee): LoadStep[];

  /** Peak RSS of the server since the last reset, MiB. */
  peakRssMiB(): number | null;
  close(): Promise<void>;
}

export const sha256hex = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomId = (bytes = 12) => randomBytes(bytes).toString('base64url');

/** A JSON call to a server, failing loudly with the body when it does not answer 2xx. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Rows for an organization's invitations are timestamped in the recent past, newest last. */
export function isoDaysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
