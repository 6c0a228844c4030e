/**
 * `roster users`, `roster orgs`, `roster invitations --org <id|slug> [--status pending]`: the
 * newest records from a running Roster's Backend API, as an aligned table or (`--json`) as the
 * API returned them.
 */

export interface ListOptions {
  url: string;
  secretKey: string;
  limit: number;
  json: boolean;
  print: (line: string) => void;
}

type Json = Record<string, unknown>;

async function get(options: ListOptions, path: string): Promise<unknown> {
  const res = await fetch(`${options.url.replace(/\/+$/, '')}${path}`, {
    headers: { authorization: `Bearer ${options.secretKey}` },
  });
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) {
    const code = (body.errors as { code: string }[] | undefined)?.[0]?.code ?? `http_${res.status}`;
    throw new Error(`GET ${path} failed: ${code}`);
  }
  return body;
}

/** Columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const date = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '');

function show(options: ListOptions, raw: unknown, rows: Json[], header: string[], cells: (r: Json) => string[]) {
  if (options.json) return options.print(JSON.stringify(raw, null, 2));
  options.print(rows.length === 0 ? '(none)' : table(header, rows.map(cells)));
}

export async function listUsers(options: ListOptions): Promise<void> {
  const users = (await get(options, `/v1/users?limit=${options.limit}`)) as Json[];
  show(options, users, users, ['ID', 'EMAIL', 'NAME', 'CREATED'], (u) => {
    const emails = (u.email_addresses as { id: string; email_address: string }[] | undefined) ?? [];
    const primary = emails.find((e) => e.id === u.primary_email_address_id) ?? emails[0];
    return [
      String(u.id),
      primary?.email_address ?? '',
      [u.first_name, u.last_name].filter(Boolean).join(' '),
      date(u.created_at),
    ];
  });
}

export async function listOrganizations(options: ListOptions): Promise<void> {
  const page = (await get(options, `/v1/organizations?limit=${options.limit}&include_members_count=true`)) as Json;
  const orgs = (page.data as Json[] | undefined) ?? [];
  show(options, page, orgs, ['ID', 'SLUG', 'NAME', 'MEMBERS', 'CREATED'], (o) => [
    String(o.id),
    String(o.slug ?? ''),
    String(o.name ?? ''),
    o.members_count === undefined ? '' : String(o.members_count),
    date(o.created_at),
  ]);
}

export async function listInvitations(options: ListOptions & { org: string; statuses: string[] }): Promise<void> {
  const query = [`limit=${options.limit}`, ...options.statuses.map((s) => `status=${encodeURIComponent(s)}`)].join('&');
  const page = (await get(
    options,
    `/v1/organizations/${encodeURIComponent(options.org)}/invitations?${query}`,
  )) as Json;
  const invitations = (page.data as Json[] | undefined) ?? [];
  show(options, page, invitations, ['ID', 'EMAIL', 'ROLE', 'STATUS', 'CREATED'], (i) => [
    String(i.id),
    String(i.email_address ?? ''),
    String(i.role ?? ''),
    String(i.status ?? ''),
    date(i.created_at),
  ]);
  if (!options.json && typeof page.total_count === 'number' && page.total_count > invitations.length) {
    options.print(`… ${page.total_count - invitations.length} more (--limit)`);
  }
}
