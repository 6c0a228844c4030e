import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** How SQLite syncs commits in WAL mode: `full` syncs the log at every commit (decision 018). */
export type SqliteSynchronous = 'normal' | 'full';

/**
 * Whether the database has refused a write for lack of space (SQLite's SQLITE_FULL, PostgreSQL's
 * 53100 disk_full), seen on the writes themselves. While it is set, `/healthz` tries a write of
 * its own and reports the storage full until one succeeds (then calls `clear()`).
 */
export interface StorageState {
  /** The first refusal's message and when it was seen; null while no refusal is outstanding. */
  full: { reason: string; since: number } | null;
  clear(): void;
}

/** True for a database's "no space left" refusal: SQLITE_FULL, or PostgreSQL's disk_full (53100). */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  storage: StorageState;
  /** The PostgreSQL pool (for the shared rate-limit store); null on SQLite. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

/**
 * Opens the database named by a URL: `postgres://` / `postgresql://` for PostgreSQL (pooled),
 * `file:path`, a bare path or `:memory:` for SQLite.
 */
export function openDatabase(
  url: string,
  options: { poolSize?: number; sqliteSynchronous?: SqliteSynchronous } = {},
): DatabaseHandle {
  const storage: StorageState = {
    full: null,
    clear() {
      storage.full = null;
    },
  };
  const failed = (error: unknown) => {
    if (isStorageFull(error)) {
      storage.full ??= { reason: error instanceof Error ? error.message : String(error), since: Date.now() };
    }
  };
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
    pool.on('connect', (client) => {
      client.on('error', () => {});
      watchRefusals(client, failed);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pool, storage, close: () => db.destroy() };
  }
  const path = url.replace(/^file:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk when it returns, power loss included; NORMAL may lose the last ones.
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoints run in a worker thread (below), not inside whichever commit crosses 1,000 pages.
  if (path !== ':memory:') sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma('journal_size_limit = 67108864');
  // Kysely's SQLite driver prepares every statement on every call; better-sqlite3 statements are
  // reusable, and Roster's SQL repeats, so keep them (bounded: IN-lists vary in length).
  const statements = new Map<string, SqliteStatement>();
  const cached = {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = watchedStatement(sqlite, sqlite.prepare(text), text, failed);
        statements.set(text, statement);
      }
      return statement;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached as never }) });
  const stopCheckpoints =
    path === ':memory:' ? async () => {} : startCheckpointer(path, () => sqlite.pragma('wal_autocheckpoint = 1000')); // worker lost: SQLite's own, then
  return {
    db,
    dialect: 'sqlite',
    pool: null,
    storage,
    close: async () => {
      await stopCheckpoints(); // first, so the server's connection is the last and checkpoints on close
      await db.destroy();
    },
  };
}

/** What Kysely's SQLite driver uses of a prepared statement. */
interface SqliteStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): SqliteDatabase.RunResult;
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

/**
 * A statement that tells the storage state about full-disk refusals, and a
 * `rollback` that does nothing when SQLite has already ended the transaction: a COMMIT refused with
 * SQLITE_FULL rolls back by itself, and Kysely's rollback then failed with "cannot rollback - no
 * transaction is active", which replaced the real error (the log said nothing of a full disk).
 */
function watchedStatement(
  sqlite: SqliteDatabase.Database,
  statement: SqliteDatabase.Statement,
  text: string,
  failed: (error: unknown) => void,
): SqliteStatement {
  if (statement.reader) return statement as SqliteStatement;
  const rollback = /^\s*rollback\s*$/i.test(text);
  return {
    reader: false,
    all: (parameters) => statement.all(parameters),
    iterate: (parameters) => statement.iterate(parameters),
    run(parameters) {
      if (rollback && !sqlite.inTransaction) return { changes: 0, lastInsertRowid: 0 };
      try {
        return statement.run(parameters);
      } catch (error) {
        failed(error);
        throw error;
      }
    },
  };
}

/** Follows a PostgreSQL connection's statements for the storage state (disk_full refusals). */
function watchRefusals(client: pg.PoolClient, failed: (error: unknown) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) result.catch(failed);
    return result;
  };
}

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies the SQLite WAL back into the database file every 200 ms from a worker thread with its own
 * connection. A PASSIVE checkpoint never waits for, or blocks, the server's reads and writes; SQLite's
 * automatic checkpoint instead runs inside the commit that crosses 1,000 WAL pages, holding the event
 * loop while it copies pages and syncs the file (the slowest creates were those commits).
 * Returns a function that stops it.
 */
function startCheckpointer(path: string, onLost: () => void): () => Promise<void> {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, intervalMs: 200 },
  });
  let stopped: Promise<void> | null = null;
  worker.on('error', () => {});
  worker.once('exit', () => {
    if (!stopped) onLost();
  });
  worker.unref();
  return () => {
    stopped ??= (async () => {
      worker.ref(); // keep the process alive until the worker has closed its connection
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    })();
    return stopped;
  };
}
