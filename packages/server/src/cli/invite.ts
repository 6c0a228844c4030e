import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse/sync';

/**
 * `roster invite --org <id|slug> --csv people.csv [--role org:member] [--dry-run]`: every row is
 * validated first (bad rows are listed with their line numbers and nothing is sent), then the
 * addresses are invited through the Backend API's bulk endpoint in batches (per address: `partial=true`). Each batch's outcome
 * is appended (and synced) to the result CSV before the next batch goes out, so a rerun after an
 * interruption skips what is recorded; a batch that was sent but not recorded is sent again, and
 * Roster's one-pending-invitation-per-address rule answers `duplicate_record`, which is recorded
 * as the pending invitation it already has. Nobody is invited twice. A row that ended in an error
 * (a rate-limited address, say) is recorded with its code and tried again by the next run.
 */

export interface InviteOptions {
  org: string;
  csv: string;
  role: string;
  out: string;
  batchSize: number;
  dryRun: boolean;
  url: string;
  secretKey: string;
  log: (line: string) => void;
}

interface Row {
  line: number;
  email: string;
  role: string;
  publicMetadata: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLE = /^(org:)?[a-z0-9_-]+$/;
const RESULT_HEADER = 'email_address,invitation_id,status,error_code,line\n';

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Reads and validates the file: the rows, or every problem with its line number. */
export function readInviteCsv(text: string, defaultRole: string): { rows: Row[]; problems: string[] } {
  const problems: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (error) {
    return { rows: [], problems: [`not a readable CSV: ${(error as Error).message}`] };
  }
  const first = records[0]?.record;
  if (!first || !('email' in first || 'email_address' in first)) {
    return { rows: [], problems: ['line 1: the header needs an "email" (or "email_address") column'] };
  }
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const email = (record.email ?? record.email_address ?? '').toLowerCase();
    const role = record.role || defaultRole;
    const publicMetadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key.startsWith('metadata.') && value !== '') publicMetadata[key.slice('metadata.'.length)] = value;
    }
    if (!EMAIL.test(email)) problems.push(`line ${line}: "${email}" is not an email address`);
    else if (seen.has(email)) problems.push(`line ${line}: ${email} is already on line ${seen.get(email)}`);
    if (!ROLE.test(role)) problems.push(`line ${line}: "${role}" is not a role key (e.g. org:member)`);
    seen.set(email, seen.get(email) ?? line);
    rows.push({ line, email, role, publicMetadata });
  }
  return { rows, problems };
}

/**
 * Addresses the result file records as done (a previous, possibly interrupted, run): invited, or
 * already invited. A row that ended in an error is not done: the next run tries it again (and
 * appends its new outcome).
 */
function recorded(out: string): Set<string> {
  if (!existsSync(out)) return new Set();
  const records = parse(readFileSync(out, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true }) as {
    email_address: string;
    status: string;
  }[];
  return new Set(records.filter((r) => r.status !== 'error').map((r) => r.email_address));
}

/** How many times a batch waits out a short rate limit before the run stops (resumable). */
const MAX_WAITS = 5;

interface Outcome {
  email: string;
  id: string;
  status: string;
  code: string;
  line: number;
}

export async function invite(options: InviteOptions): Promise<{ problems: string[]; outcomes: Outcome[] }> {
  const { rows, problems } = readInviteCsv(readFileSync(options.csv, 'utf8'), options.role);
  if (problems.length > 0) return { problems, outcomes: [] };
  const done = recorded(options.out);
  const todo = rows.filter((r) => !done.has(r.email));
  options.log(
    `${rows.length} rows valid; ${done.size} already recorded in ${options.out}; ${todo.length} to invite${options.dryRun ? ' (dry run: nothing sent)' : ''}.`,
  );
  if (options.dryRun || todo.length === 0) return { problems: [], outcomes: [] };

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${options.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, json, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1 };
  };
  /**
   * The bulk call. A batch whose every address was refused on its own (each address's mail budget)
   * is an answer: its rows are recorded as errors, for a rerun to try again. A short rate limit on
   * the batch is waited out, at most `MAX_WAITS` times; a long one stops the run (resumable).
   */
  const sendBatch = async (path: string, body: unknown) => {
    for (let waits = 0; ; waits++) {
      const sent = await api('POST', path, body);
      if (sent.status !== 429) return sent;
      const errors = (sent.json.errors as { meta?: { email_address?: string } }[] | undefined) ?? [];
      if (errors.length > 0 && errors.every((e) => e.meta?.email_address)) return sent;
      if (sent.retryAfter > 60) {
        throw new Error(
          `rate limited for ${sent.retryAfter} s (the organization's invitations per hour; see ROSTER_INVITATIONS_PER_HOUR); rerun the same command then to resume`,
        );
      }
      if (waits >= MAX_WAITS) {
        throw new Error(`still rate limited after waiting ${MAX_WAITS} times; rerun the same command later to resume`);
      }
      await new Promise((r) => setTimeout(r, sent.retryAfter * 1000));
    }
  };
  const org = await api('GET', `/v1/organizations/${encodeURIComponent(options.org)}`);
  if (org.status !== 200) {
    const code = (org.json.errors as { code: string }[] | undefined)?.[0]?.code ?? `http_${org.status}`;
    throw new Error(`organization "${options.org}" could not be read: ${code}`);
  }
  const orgId = org.json.id as string;
  if (!existsSync(options.out)) writeFileSync(options.out, RESULT_HEADER);

  const bar = new SingleBar({
    format: 'inviting [{bar}] {value}/{total} {eta_formatted} left',
    stream: process.stderr,
  });
  bar.start(todo.length, 0);
  const outcomes: Outcome[] = [];
  try {
    for (let start = 0; start < todo.length; start += options.batchSize) {
      const batch = todo.slice(start, start + options.batchSize);
      const sent = await sendBatch(
        // Per address (Roster's opt-in, decision 041): one address already invited or a member
        // must not hold back the rest of its batch; each outcome is recorded on its own row.
        `/v1/organizations/${orgId}/invitations/bulk?partial=true`,
        batch.map((r) => ({
          email_address: r.email,
          role: r.role,
          ...(Object.keys(r.publicMetadata).length > 0 && { public_metadata: r.publicMetadata }),
        })),
      );
      if (sent.status >= 500 || sent.status === 401 || sent.status === 403) {
        const code = (sent.json.errors as { code: string }[] | undefined)?.[0]?.code ?? `http_${sent.status}`;
        throw new Error(`the bulk request failed (${code}); rerun the same command to resume`);
      }
      const created = new Map(
        ((sent.json.data as { id: string; email_address: string; status: string }[] | undefined) ?? []).map((i) => [
          i.email_address,
          i,
        ]),
      );
      const failed = new Map(
        ((sent.json.errors as { code: string; meta?: { email_address?: string } }[] | undefined) ?? []).map((e) => [
          e.meta?.email_address ?? '',
          e.code,
        ]),
      );
      const lines: Outcome[] = [];
      for (const row of batch) {
        const invitation = created.get(row.email);
        let code = invitation ? '' : (failed.get(row.email) ?? 'unknown_error');
        let id = invitation?.id ?? '';
        let status = invitation ? invitation.status : 'error';
        if (code === 'duplicate_record') {
          // Invited before (by an interrupted run, or anyone): record the pending invitation.
          const existing = await api(
            'GET',
            `/v1/organizations/${orgId}/invitations?status=pending&email_address=${encodeURIComponent(row.email)}`,
          );
          const found = (existing.json.data as { id: string }[] | undefined)?.[0];
          if (found) {
            id = found.id;
            status = 'pending';
            code = 'already_invited';
          }
        }
        lines.push({ email: row.email, id, status, code, line: row.line });
      }
      const fd = openSync(options.out, 'a');
      try {
        appendFileSync(
          fd,
          `${lines.map((o) => [o.email, o.id, o.status, o.code, String(o.line)].map(csvField).join(',')).join('\n')}\n`,
        );
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      outcomes.push(...lines);
      bar.increment(batch.length);
    }
  } finally {
    bar.stop();
  }
  return { problems: [], outcomes };
}
