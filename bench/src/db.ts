import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/**
 * Databases for the bench: a fresh SQLite file or a fresh PostgreSQL database per product and
 * dialect, and a small SQL handle the bench uses to seed them directly (the servers are not
 * involved in seeding).
 */

export type Dialect = 'sqlite' | 'postgres';

export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
];

export interface BenchDatabase {
  dialect: Dialect;
  /** What the server is given as DATABASE_URL. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database: a file in a temporary folder, or `create database` on the PostgreSQL server. */
export async function createDatabase(dialect: Dialect, tag: string, postgresUrl: string): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `bench-${tag}-`));
    return {
      dialect,
      url: `file:${join(dir, `${tag}.sqlite`)}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `bench_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface SqlHandle {
  dialect: Dialect;
  /** Runs one statement; `?` placeholders on both dialects. */
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Inserts many rows in one transaction. */
  insertRows(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  /**
   * After a bulk load: on PostgreSQL, `vacuum analyze`, so the planner knows the new rows and
   * autovacuum does not start on them (competing for the CPU) during the rows measured next; on
   * SQLite, a checkpoint, so the load's log is not copied back while they run.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const quote = (dialect: Dialect, name: string) => (dialect === 'postgres' ? `"${name}"` : `"${name}"`);

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function openSql(url: string): SqlHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    return {
      dialect: 'postgres',
      run: async (sql, params = []) => {
        await pool.query(numbered(sql), params);
      },
      all: async <T>(sql: string, params: unknown[] = []) => (await pool.query(numbered(sql), params)).rows as T[],
      settle: async () => {
        await pool.query('vacuum analyze');
      },
      insertRows: async (table, columns, rows) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const chunk = Math.max(1, Math.floor(30_000 / columns.length));
          for (let i = 0; i < rows.length; i += chunk) {
            const part = rows.slice(i, i + chunk);
            const values = part
              .map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
              .join(', ');
            await client.query(
              `insert into ${quote('postgres', table)} (${columns.map((c) => quote('postgres', c)).join(', ')}) values ${values}`,
              part.flat(),
            );
          }
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const sqlite = new SqliteDatabase(url.replace(/^file:/, ''));
  for (const p of SQLITE_PRAGMAS) sqlite.pragma(p);
  return {
    dialect: 'sqlite',
    run: async (sql, params = []) => {
      sqlite.prepare(sql).run(...params);
    },
    all: async <T>(sql: string, params: unknown[] = []) => sqlite.prepare(sql).all(...params) as T[],
    settle: async () => {
      sqlite.pragma('wal_checkpoint(TRUNCATE)'); // the load's log copied now, not during the next rows
    },
    insertRows: async (table, columns, rows) => {
      const insert = sqlite.prepare(
        `insert into ${quote('sqlite', table)} (${columns.map((c) => quote('sqlite', c)).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      sqlite.transaction(() => {
        for (const row of rows) insert.run(...row);
      })();
    },
    close: async () => {
      sqlite.close();
    },
  };
}
