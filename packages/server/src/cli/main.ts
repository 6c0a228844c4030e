#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../storage/database.js';
import { migrate, migrationStatus } from '../storage/migrations.js';
import { invite } from './invite.js';
import { listInvitations, listOrganizations, listUsers } from './list.js';
import { newSecretKey, parseGrace, rotateSecretKey, SecretKeyCommandError, showSecretKey } from './secret-key.js';

/**
 * `roster`: the server's command line (the `bin` of @roster/server).
 *
 *   roster start             the server (what `npm start` runs)
 *   roster migrate status    each migration, applied (with when) or pending
 *   roster migrate up        applies the pending ones (`start` does this too)
 *   roster invite --org <id|slug> --csv people.csv [--role org:member] [--out result.csv] [--dry-run]
 *                            invites every address of a CSV through a running Roster (ROSTER_URL,
 *                            ROSTER_SECRET_KEY); see ./invite.ts
 *   roster users | orgs | invitations --org <id|slug> [--status pending] [--limit 20] [--json]
 *   roster secret-key rotate [--grace 24h] [--data-dir <dir>]
 *                            a new development key file; the old key stays valid for the grace
 *   roster secret-key show   the current key's id and the previous keys' expiries (no key material)
 *   roster secret-key new    prints a fresh key on stdout (for ROSTER_SECRET_KEY)
 *
 * Configuration comes from the same environment as the server (DATABASE_URL, ROSTER_DATA_DIR).
 * Exit codes: 0 done, 1 failure, 2 bad usage; `migrate status` exits 3 when some are pending, so a
 * deploy script can ask `roster migrate status || roster migrate up`.
 */

const USAGE = `Usage: roster <command>

Commands:
  start             Start the server (migrates first)
  migrate status    List migrations, applied or pending (exit 3 if any are pending)
  migrate up        Apply pending migrations
  invite            Invite the addresses of a CSV (columns: email, optional role, metadata.<key>)
                    --org <id|slug> --csv <file> [--role org:member] [--out <file>]
                    [--batch-size 100] [--dry-run]; needs ROSTER_URL and ROSTER_SECRET_KEY.
                    Rerun the same command to resume; the result CSV records every address.
  users             The newest users                        [--limit 20] [--json]
  orgs              The newest organizations                [--limit 20] [--json]
  invitations       An organization's invitations           --org <id|slug> [--status pending]...
  secret-key rotate A new key in <data dir>/secret-key; the old one is accepted for the grace
                    [--grace 24h (s, m, h, d)] [--data-dir <dir>]. With ROSTER_SECRET_KEY set it
                    explains how to rotate through ROSTER_PREVIOUS_SECRET_KEYS instead.
  secret-key show   The current key's id and the previous keys' expiries   [--data-dir <dir>]
  secret-key new    Print a fresh key on stdout (for ROSTER_SECRET_KEY), same prefix as the set one

Options:
  --json            Machine-readable output (migrate)
  -h, --help        Show this help

Configuration is read from the environment: DATABASE_URL (default: SQLite under ROSTER_DATA_DIR).`;

function usage(message?: string): never {
  if (message) console.error(`roster: ${message}\n`);
  console.error(USAGE);
  process.exit(message ? 2 : 0);
}

async function withDatabase<T>(work: (handle: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const handle = openDatabase(config.databaseUrl, { poolSize: 1 });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      org: { type: 'string' },
      csv: { type: 'string' },
      role: { type: 'string' },
      out: { type: 'string' },
      'batch-size': { type: 'string' },
      'dry-run': { type: 'boolean' },
      status: { type: 'string', multiple: true },
      limit: { type: 'string' },
      grace: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) usage();
  if (command === 'start') {
    if (sub) usage(`start takes no argument (got "${sub}")`);
    await import('../main.js');
    return -1; // the server keeps the process alive and exits on its own
  }
  if (command === 'invite') {
    if (sub) usage(`invite takes options only (got "${sub}")`);
    if (!values.org || !values.csv) usage('invite needs --org and --csv');
    const url = process.env.ROSTER_URL;
    const secretKey = process.env.ROSTER_SECRET_KEY;
    if (!url || !secretKey) usage('invite needs ROSTER_URL and ROSTER_SECRET_KEY in the environment');
    const batchSize = Number(values['batch-size'] ?? 100);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) usage('--batch-size is 1 to 100');
    const { problems, outcomes } = await invite({
      org: values.org,
      csv: values.csv,
      role: values.role ?? 'org:member',
      out: values.out ?? values.csv.replace(/(\.csv)?$/i, '.result.csv'),
      batchSize,
      dryRun: values['dry-run'] ?? false,
      url,
      secretKey,
      log: (line) => console.log(line),
    });
    if (problems.length > 0) {
      console.error(`${problems.length} bad row(s); nothing was sent:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.code || o.status, (counts.get(o.code || o.status) ?? 0) + 1);
    if (outcomes.length > 0) console.log([...counts].map(([k, n]) => `${n} ${k}`).join(', '));
    const failed = outcomes.filter((o) => o.status === 'error').length;
    if (failed > 0) {
      console.error(
        `${failed} row(s) ended in an error (see the result file); rerun the same command to try them again`,
      );
      return 1;
    }
    return 0;
  }
  if (command === 'users' || command === 'orgs' || command === 'invitations') {
    if (sub) usage(`${command} takes options only (got "${sub}")`);
    const url = process.env.ROSTER_URL;
    const secretKey = process.env.ROSTER_SECRET_KEY;
    if (!url || !secretKey) usage(`${command} needs ROSTER_URL and ROSTER_SECRET_KEY in the environment`);
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) usage('--limit is 1 to 500');
    const options = { url, secretKey, limit, json: values.json ?? false, print: (line: string) => console.log(line) };
    if (command === 'users') await listUsers(options);
    else if (command === 'orgs') await listOrganizations(options);
    else {
      if (!values.org) usage('invitations needs --org');
      await listInvitations({ ...options, org: values.org, statuses: values.status ?? [] });
    }
    return 0;
  }
  if (command === 'secret-key') {
    if (rest.length > 0 || (sub !== 'rotate' && sub !== 'show' && sub !== 'new')) {
      usage('secret-key takes "rotate", "show" or "new"');
    }
    if (values['data-dir'] === '') usage('--data-dir needs a folder');
    const dataDir = values['data-dir'];
    const print = (line: string) => console.log(line);
    try {
      if (sub === 'new') {
        if (values.grace !== undefined || dataDir !== undefined) usage('secret-key new takes no options');
        newSecretKey({ print });
      } else if (sub === 'show') {
        if (values.grace !== undefined) usage('--grace is for secret-key rotate');
        showSecretKey({ ...(dataDir && { dataDir }), print });
      } else {
        const graceMs = parseGrace(values.grace ?? '24h');
        if (graceMs === null) usage('--grace is a duration like 90s, 30m, 24h or 7d (at most 365d)');
        rotateSecretKey({ graceMs, ...(dataDir && { dataDir }), print });
      }
    } catch (error) {
      if (!(error instanceof SecretKeyCommandError)) throw error;
      console.error(`roster: ${error.message}`);
      return 1;
    }
    return 0;
  }
  if (command !== 'migrate') usage(`unknown command "${command}"`);
  if (rest.length > 0 || (sub !== 'status' && sub !== 'up')) usage('migrate takes "status" or "up"');

  if (sub === 'up') {
    const ran = await withDatabase((h) => migrate(h.db as never, h.dialect));
    if (values.json) console.log(JSON.stringify({ applied: ran }));
    else
      console.log(
        ran.length === 0 ? 'Nothing to migrate: the schema is up to date.' : ran.map((n) => `applied  ${n}`).join('\n'),
      );
    return 0;
  }
  const status = await withDatabase((h) => migrationStatus(h.db as never, h.dialect));
  const pending = status.filter((m) => m.executedAt === null).length;
  if (values.json) {
    console.log(JSON.stringify({ migrations: status, pending }));
  } else {
    for (const m of status)
      console.log(`${m.executedAt ? `applied  ${m.executedAt.toISOString()}` : 'pending '.padEnd(33)}  ${m.name}`);
    console.log(pending === 0 ? '\nUp to date.' : `\n${pending} pending: run \`roster migrate up\`.`);
  }
  return pending === 0 ? 0 : 3;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
      usage(error.message);
    console.error(`roster: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
