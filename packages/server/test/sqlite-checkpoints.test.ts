import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrations.js';
import { testDialect } from './support/database.js';

/** A SQLite file's write-ahead log is copied back into the file in the background, not by commits. */
describe.skipIf(testDialect() !== 'sqlite')('SQLite checkpoints', () => {
  it('moves committed pages into the database file while the server keeps writing, and leaves no log on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-wal-'));
    const file = join(dir, 'roster.db');
    const handle = openDatabase(`file:${file}`);
    try {
      await migrate(handle.db as never, 'sqlite');
      const before = statSync(file).size;
      const now = Date.now();
      for (let i = 0; i < 300; i++) {
        await sql`insert into users (id, first_name, last_name, password_hash, public_metadata, private_metadata, created_at, updated_at, last_sign_in_at) values (${`user_${i}`}, 'A', 'B', null, ${'{}'}, ${'x'.repeat(2000)}, ${now}, ${now}, null)`.execute(
          handle.db,
        );
      }
      // Commits alone never checkpoint (wal_autocheckpoint = 0); the worker does, within a few ticks.
      await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 300 * 2000), {
        timeout: 5000,
        interval: 50,
      });
    } finally {
      await handle.close();
    }
    const wal = (() => {
      try {
        return statSync(`${file}-wal`).size;
      } catch {
        return 0;
      }
    })();
    expect(wal).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
