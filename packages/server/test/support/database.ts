import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The database each test uses. SQLite in memory by default; PostgreSQL when the run is the
 * PostgreSQL project (`ROSTER_TEST_DIALECT=postgres`, with `ROSTER_TEST_DATABASE_URL`), in a fresh
 * schema per test so tests never see each other's rows. Call `drop()` when done.
 */
export interface TestDatabase {
  url: string;
  dialect: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.ROSTER_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect() === 'sqlite') return { url: ':memory:', dialect: 'sqlite', drop: async () => {} };
  const base = process.env.ROSTER_TEST_DATABASE_URL;
  if (!base) throw new Error('ROSTER_TEST_DIALECT=postgres needs ROSTER_TEST_DATABASE_URL');
  const schema = `roster_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    dialect: 'postgres',
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
