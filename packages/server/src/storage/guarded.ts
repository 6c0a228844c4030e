import { ForeignKeyViolation, UniqueViolation } from '../domain/store.js';

/**
 * Turns a driver's unique-constraint error into `UniqueViolation` naming the table, and a
 * foreign-key error into `ForeignKeyViolation` naming the referenced table (PostgreSQL says it in
 * `detail`; SQLite says nothing, so `unknown`).
 */
export function rethrowUnique(error: unknown): never {
  const e = error as { code?: string; table?: string; constraint?: string; message?: string; detail?: string };
  if (e?.code === '23505') throw new UniqueViolation(e.table ?? e.constraint ?? 'unknown');
  if (e?.code === '23503') throw new ForeignKeyViolation(/in table "(\w+)"/.exec(e.detail ?? '')?.[1] ?? 'unknown');
  if (e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ForeignKeyViolation('unknown');
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && /UNIQUE|PRIMARY/.test(e.code)) {
    const table = /failed: (\w+)\./.exec(e.message ?? '')?.[1] ?? 'unknown';
    throw new UniqueViolation(table);
  }
  throw error;
}

export async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    rethrowUnique(error);
  }
}
