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
  // Checkpoints run in a worker thread (below), not inside whichever commit crosses 1,000 pages.
  if (path !== ':memory:') sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma('journal_size_limit = 67108864');
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
  const stopCheckpoints =
    path === ':memory:' ? async () => {} : startCheckpointer(path, () => sqlite.pragma('wal_autocheckpoint = 1000')); // worker lost: SQLite's own, then
  return {
    db,
    dialect: 'sqlite',
    pool: null,
    close: async () => {
      await stopCheckpoints(); // first, so the server's connection is the last and checkpoints on close
      await db.destroy();
    },
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
