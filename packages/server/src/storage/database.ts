import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL pool (for the shared rate-limit store); null on SQLite. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

/**
 * Opens the database named by a URL: `postgres://` / `postgresql://` for PostgreSQL (pooled),
 * `file:path`, a bare path or `:memory:` for SQLite.
 */
export function openDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format),
    };
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: types as pg.CustomTypesConfig,
    });
    // A connection lost while idle in the pool, or while checked out between two statements of a
    // transaction (database restart, failover), must not crash the process: the query in flight
    // fails (503 database_unavailable) and the pool opens a fresh connection next time.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pool, close: () => db.destroy() };
  }
  const path = url.replace(/^file:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Kysely's SQLite driver prepares every statement on every call; better-sqlite3 statements are
  // reusable, and Roster's SQL repeats, so keep them (bounded: IN-lists vary in length).
  const statements = new Map<string, SqliteDatabase.Statement>();
  const cached = {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached as never }) });
  return { db, dialect: 'sqlite', pool: null, close: () => db.destroy() };
}
