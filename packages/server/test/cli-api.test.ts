import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RosterProcess, startRosterProcess } from './support/processes.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';

/**
 * The commands that talk to a running Roster (`invite --csv`, `users`, `orgs`, `invitations`), run
 * as an operator runs them: processes against a Roster process with a real SMTP server; the
 * invite is killed in the middle and run again.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'packages/server/src/cli/main.ts');
const SECRET_KEY = 'sk_test_roster_cli_0123456789abcdefghij';
const ROWS = 300;
let smtp: TestSmtp;
let roster: RosterProcess;
let dir: string;
let orgSlug: string;

function start(
  args: string[],
  url?: string,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--conditions=@roster/source', '--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ROSTER_URL: url ?? roster.url,
      ROSTER_SECRET_KEY: SECRET_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) =>
    child.once('exit', (code) => ok({ code, stdout, stderr })),
  );
  return { child, done };
}

async function bapi(method: string, path: string, body?: unknown) {
  const res = await fetch(`${roster.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  smtp = await startSmtp();
  roster = await startRosterProcess({
    NODE_ENV: 'test',
    ROSTER_SECRET_KEY: SECRET_KEY,
    SMTP_URL: smtp.url,
    ROSTER_INVITATIONS_PER_HOUR: '100000',
  });
  dir = mkdtempSync(join(tmpdir(), 'roster-cli-invite-'));
  const user = await bapi('POST', '/v1/users', {
    email_address: ['owner@example.com'],
    password: 'a long password here',
  });
  orgSlug = `csv-${Math.random().toString(36).slice(2, 8)}`;
  await bapi('POST', '/v1/organizations', { name: 'CSV', slug: orgSlug, created_by: user.id });
}, 60_000);

afterAll(async () => {
  await roster?.kill();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('roster invite --csv', () => {
  it('lists every bad row with its line number and sends nothing', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'email,role\nok@example.com,org:member\nnot-an-address,org:member\nok@example.com,\nx@example.com,Org Admin!\n',
    );
    const run = await start(['invite', '--org', orgSlug, '--csv', csv]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('3 bad row(s); nothing was sent');
    expect(run.stderr).toContain('line 3: "not-an-address" is not an email address');
    expect(run.stderr).toContain('line 4: ok@example.com is already on line 2');
    expect(run.stderr).toContain('line 5: "Org Admin!" is not a role key');
    expect(existsSync(join(dir, 'bad.result.csv'))).toBe(false);
    const listed = await bapi('GET', `/v1/organizations/${orgSlug}/invitations`);
    expect(listed.total_count).toBe(0);
  }, 60_000);

  it(`resumes after a kill without inviting anyone twice (${ROWS} rows), and writes a result row for each`, async () => {
    const csv = join(dir, 'people.csv');
    const out = join(dir, 'people.result.csv');
    const emails = Array.from({ length: ROWS }, (_, i) => `person-${i}@example.com`);
    writeFileSync(
      csv,
      `email,role,metadata.team\n${emails.map((e, i) => `${e},${i % 10 === 0 ? 'org:admin' : ''},t${i % 3}`).join('\n')}\n`,
    );

    const first = start(['invite', '--org', orgSlug, '--csv', csv, '--batch-size', '10']);
    // Kill it once some batches are recorded, with more to go.
    for (;;) {
      const recorded = existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 2 : 0;
      if (recorded >= 30 || first.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const afterKill = readFileSync(out, 'utf8').trim().split('\n').length - 1;
    expect(afterKill).toBeLessThan(ROWS);

    const second = await start(['invite', '--org', orgSlug, '--csv', csv, '--batch-size', '10']).done;
    expect(second.stderr.replace(/inviting \[.*\n?/g, '')).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${afterKill} already recorded`);

    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(results.map((r) => r[0]).sort()).toEqual([...emails].sort());
    expect(results.every((r) => r[1]?.startsWith('orginv_') && r[2] === 'pending')).toBe(true);
    expect(new Set(results.map((r) => r[1])).size).toBe(ROWS);

    const listed = await bapi(
      'GET',
      `/v1/organizations/${orgSlug}/invitations?limit=1&status=pending&status=revoked&status=accepted`,
    );
    expect(listed.total_count).toBe(ROWS);
    const admin = await bapi('GET', `/v1/organizations/${orgSlug}/invitations?email_address=person-10@example.com`);
    expect((admin.data as { role: string; public_metadata: unknown }[])[0]).toMatchObject({
      role: 'org:admin',
      public_metadata: { team: 't1' },
    });
  }, 120_000);

  it('records an address that already has a pending invitation with that invitation, and does not invite it again', async () => {
    const existing = await bapi('POST', `/v1/organizations/${orgSlug}/invitations`, {
      email_address: 'already@example.com',
      role: 'org:member',
    });
    const csv = join(dir, 'again.csv');
    writeFileSync(csv, 'email\nalready@example.com\nfresh@example.com\n');
    const run = await start(['invite', '--org', orgSlug, '--csv', csv]).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 already_invited');
    const rows = readFileSync(join(dir, 'again.result.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows[0]).toBe(`already@example.com,${existing.id},pending,already_invited,2`);
    expect(rows[1]).toMatch(/^fresh@example\.com,orginv_\w+,pending,,3$/);
    const listed = await bapi('GET', `/v1/organizations/${orgSlug}/invitations?email_address=already@example.com`);
    expect(listed.total_count).toBe(1);
  }, 60_000);

  it('a batch refused for rate limits stops with a clear error instead of retrying forever; its rows are tried again by a rerun', async () => {
    // The address's mail budget (10 an hour) is spent: the bulk answers 429 for the whole batch.
    for (let i = 0; i < 10; i++) {
      const inv = await bapi('POST', `/v1/organizations/${orgSlug}/invitations`, {
        email_address: 'limited@example.com',
        role: 'org:member',
      });
      await bapi('POST', `/v1/organizations/${orgSlug}/invitations/${inv.id}/revoke`, {});
    }
    const csv = join(dir, 'limited.csv');
    const out = join(dir, 'limited.result.csv');
    writeFileSync(csv, 'email\nlimited@example.com\n');
    const first = await start(['invite', '--org', orgSlug, '--csv', csv]).done;
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('1 row(s) ended in an error');
    expect(readFileSync(out, 'utf8').trim().split('\n').slice(1)).toEqual([
      'limited@example.com,,error,too_many_requests,2',
    ]);
    // The error is not recorded as done: the rerun tries the row again.
    const again = await start(['invite', '--org', orgSlug, '--csv', csv]).done;
    expect(again.stdout).toContain('1 rows valid; 0 already recorded');
    expect(again.code).toBe(1);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
  }, 60_000);

  it('gives up with a clear error when every try of a batch answers 429 without Retry-After', async () => {
    // A server that refuses every bulk for rate limits and never says when to come back.
    let bulks = 0;
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') return void res.end(JSON.stringify({ id: 'org_stuck' }));
      bulks++;
      res.statusCode = 429;
      res.end(JSON.stringify({ errors: [{ code: 'too_many_requests' }] }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const csv = join(dir, 'stuck.csv');
      writeFileSync(csv, 'email\nstuck@example.com\n');
      const { port } = server.address() as AddressInfo;
      const run = await start(['invite', '--org', 'stuck', '--csv', csv], `http://127.0.0.1:${port}`).done;
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('still rate limited after waiting 5 times; rerun the same command later to resume');
      expect(bulks).toBe(6);
    } finally {
      server.close();
    }
  }, 60_000);

  it('--dry-run validates and counts, and sends nothing', async () => {
    const csv = join(dir, 'dry.csv');
    writeFileSync(csv, 'email\nnew-1@example.com\nnew-2@example.com\n');
    const run = await start(['invite', '--org', orgSlug, '--csv', csv, '--dry-run']).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 rows valid; 0 already recorded');
    expect(run.stdout).toContain('dry run: nothing sent');
    const listed = await bapi('GET', `/v1/organizations/${orgSlug}/invitations?email_address=new-1@example.com`);
    expect(listed.total_count).toBe(0);
  }, 60_000);

  it('users, orgs and invitations print tables (or --json) of what the API lists', async () => {
    const users = await start(['users']).done;
    expect(users.code).toBe(0);
    expect(users.stdout.split('\n')[0]).toMatch(/^ID\s+EMAIL\s+NAME\s+CREATED$/);
    expect(users.stdout).toMatch(/user_\w+\s+owner@example\.com/);

    const orgs = await start(['orgs', '--json']).done;
    expect(orgs.code).toBe(0);
    const page = JSON.parse(orgs.stdout) as { data: { slug: string; members_count: number }[] };
    expect(page.data.find((o) => o.slug === orgSlug)).toMatchObject({ members_count: 1 });

    const pending = await start(['invitations', '--org', orgSlug, '--status', 'pending', '--limit', '5']).done;
    expect(pending.code).toBe(0);
    const lines = pending.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+EMAIL\s+ROLE\s+STATUS\s+CREATED$/);
    expect(lines.slice(1, 6).every((l) => /^orginv_\w+\s+\S+@example\.com\s+org:\w+\s+pending\s/.test(l))).toBe(true);
    expect(lines[6]).toMatch(/^… \d+ more \(--limit\)$/);

    const missing = await start(['invitations']).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('invitations needs --org');
  }, 60_000);
});
