import type { SqlHandle } from './db.js';
import { randomId, type SeededInvitation, type SeededInvitee } from './product.js';

/**
 * The part of seeding both products share: fresh addresses, one row per address in each table
 * (one multi-row insert per table), and signed-in invitees put together from sessions and
 * invitations. Each product's tables and rows stay in its own seed.ts.
 */

/** A table seeding writes: its name and the columns each row fills, in order. */
export interface Table {
  name: string;
  columns: string[];
}

/** `count` fresh addresses, `<kind>-<tag>-<i>@invitee.test`; the random tag keeps calls apart. */
export function inviteeEmails(kind: 'new' | 'member', count: number): string[] {
  const tag = randomId(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  return Array.from({ length: count }, (_, i) => `${kind}-${tag}-${i}@invitee.test`);
}

/**
 * For each address `make` gives one row per table (in the order of `tables`) and a value to hand
 * back; the rows go in with one insert per table, in that order. Returns the values in address order.
 */
export async function insertPerAddress<T>(
  sql: SqlHandle,
  options: { tables: Table[]; emails: string[]; make: (email: string) => { value: T; rows: unknown[][] } },
): Promise<T[]> {
  const values: T[] = [];
  const rows: unknown[][][] = options.tables.map(() => []);
  for (const email of options.emails) {
    const made = options.make(email);
    values.push(made.value);
    for (const [t, row] of made.rows.entries()) rows[t]!.push(row);
  }
  for (const [t, table] of options.tables.entries()) await sql.insertRows(table.name, table.columns, rows[t]!);
  return values;
}

/**
 * `count` existing users, each with a live session and a pending invitation: `account` lays out
 * one user's rows in `accountTables` and returns its raw session token, `invite` writes the
 * invitations, `headers` turns a token into what that user's requests carry.
 */
export async function seedSignedInInvitees(
  sql: SqlHandle,
  options: {
    count: number;
    accountTables: Table[];
    account: (email: string) => { token: string; rows: unknown[][] };
    invite: (emails: string[]) => Promise<SeededInvitation[]>;
    headers: (token: string) => Record<string, string>;
  },
): Promise<SeededInvitee[]> {
  const emails = inviteeEmails('member', options.count);
  const tokens = await insertPerAddress(sql, {
    tables: options.accountTables,
    emails,
    make: (email) => {
      const { token, rows } = options.account(email);
      return { value: token, rows };
    },
  });
  const items = await options.invite(emails);
  return items.map((item, i) => ({ ...item, headers: options.headers(tokens[i]!) }));
}
