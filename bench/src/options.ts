import type { Dialect } from './db.js';

/** Command-line options and the size of each run (`--quick` is a smoke run of about two minutes). */

export interface Plan {
  quick: boolean;
  dialects: Dialect[];
  /** Rounds per row; each round runs both products, the order alternating round by round. */
  rounds: number;
  /** Cap on one measured run, seconds. */
  maxSeconds: number;
  /** Unmeasured creates per server before its first row, so no row measures code the JIT has not compiled yet. */
  warmUpOps: number;
  ops: {
    signUp: number;
    inviteSerial: number;
    inviteConcurrent: number;
    list: number;
    listLarge: number;
    revoke: number;
    acceptNew: number;
    acceptExisting: number;
    httpCeiling: number;
    tokenRefresh: number;
  };
  /** Events the webhook delivery row enqueues at once. */
  webhookEvents: number;
  /** Concurrency of the rows the issue leaves open (sign-up, list, revoke, accept). */
  connections: number;
  listSizes: { small: number; large: number };
  bulk: { addresses: number; perCall: number; connections: number; peerMaxSeconds: number; mailTimeoutSeconds: number };
  scaling: { sizes: number[]; listOps: number; createOps: number };
  storageSeconds: number;
  postgresUrl: string;
  /** A patched copy of packages/server to run as Roster instead of this checkout's. */
  rosterServerDir: string | null;
  /** Extra environment for Roster (e.g. LOG_LEVEL=warn), `--roster-env KEY=VALUE`. */
  rosterEnv: Record<string, string>;
  only: string[] | null;
  skip: string[];
  /** Which products to run (default both); Roster alone is for comparing a patched copy with this one. */
  products: ('roster' | 'peer')[];
  outputName: string | null;
}

export function parsePlan(argv: string[]): Plan {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? (argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true');
    flags.set(key, [...(flags.get(key) ?? []), value]);
  }
  const get = (key: string) => flags.get(key)?.at(-1);
  const list = (key: string) => (get(key) ? get(key)!.split(',').filter(Boolean) : null);
  const quick = get('quick') === 'true';
  const dialects = (list('dialects') ?? ['sqlite', 'postgres']) as Dialect[];
  const rosterEnv = Object.fromEntries(
    (flags.get('roster-env') ?? []).map((kv) => {
      const at = kv.indexOf('=');
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
  const base = quick
    ? {
        rounds: 1,
        maxSeconds: 5,
        warmUpOps: 1_000,
        ops: {
          signUp: 24,
          inviteSerial: 300,
          inviteConcurrent: 1_500,
          list: 400,
          listLarge: 60,
          revoke: 300,
          acceptNew: 24,
          acceptExisting: 300,
          httpCeiling: 8_000,
          tokenRefresh: 4_000,
        },
        webhookEvents: 2_000,
        listSizes: { small: 1_000, large: 100_000 },
        bulk: { addresses: 1_000, perCall: 100, connections: 4, peerMaxSeconds: 30, mailTimeoutSeconds: 60 },
        scaling: { sizes: [1_000, 100_000], listOps: 40, createOps: 20 },
        storageSeconds: 2,
      }
    : {
        rounds: 2,
        maxSeconds: 8,
        warmUpOps: 3_000,
        ops: {
          signUp: 40,
          inviteSerial: 1_000,
          inviteConcurrent: 5_000,
          list: 1_000,
          listLarge: 200,
          revoke: 600,
          acceptNew: 40,
          acceptExisting: 600,
          httpCeiling: 30_000,
          tokenRefresh: 15_000,
        },
        webhookEvents: 2_000,
        listSizes: { small: 1_000, large: 100_000 },
        bulk: { addresses: 10_000, perCall: 100, connections: 4, peerMaxSeconds: 60, mailTimeoutSeconds: 300 },
        scaling: { sizes: [1_000, 100_000, 1_000_000], listOps: 300, createOps: 100 },
        storageSeconds: 4,
      };
  return {
    quick,
    dialects,
    connections: 8,
    ...base,
    ...(get('rounds') && { rounds: Number(get('rounds')) }),
    postgresUrl: get('postgres-url') ?? process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    rosterServerDir: get('roster-server') ?? null,
    rosterEnv,
    only: list('only'),
    products: (list('products') ?? ['roster', 'peer']) as ('roster' | 'peer')[],
    skip: list('skip') ?? [],
    outputName: get('name') ?? null,
  };
}

export const USAGE = `npm run bench [-- options]
  --quick                 smoke run (~2 minutes): fewer requests, one round, no 1,000,000-invitation organization
  --dialects sqlite,postgres
  --only KEYS / --skip KEYS   rows by key: ceilings, sign-up, invite-1, invite-32, half-peak, list-small, list-large,
                          revoke, accept-new, accept-existing, bulk, scaling; Roster only: invite-32-webhooks,
                          webhook-delivery, token-refresh
  --rounds N              rounds per row (default 2; quick 1); products alternate first/second each round
  --postgres-url URL      server to create the bench's databases on (default postgres://postgres@127.0.0.1:5432/test)
  --roster-server DIR     run another copy of packages/server (a patched one) as Roster
  --roster-env KEY=VALUE  extra environment for Roster (repeatable)
  --products roster       run Roster alone (to compare a patched copy against this checkout)
  --name NAME             write results/NAME.{json,md} instead of a timestamped name, and leave latest.* alone
                          (for experiments: partial rows, --products roster, --roster-server)`;
