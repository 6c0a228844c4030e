/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import type { KeysetCursor } from '../../domain/console/store.js';
import type { AppEnv } from '../env.js';
import { pageError } from '../pages/forms.js';

/** Rows per console page. */
export const PAGE_SIZE = 50;

/** A keyset cursor from the query: the last row's created_at and id, `<ms>_<id>`. */
export function parseCursor(value: string | undefined): KeysetCursor | null {
  const match = value ? /^(\d{1,15})_([A-Za-z0-9_]{1,64})$/.exec(value) : null;
  return match ? { createdAt: Number(match[1]), id: match[2] ?? '' } : null;
}

/** Splits the `limit + 1` rows a store answered into the page and the next page's cursor (null: last page). */
export function keysetPage<T extends { createdAt: number; id: string }>(rows: T[]): { page: T[]; next: string | null } {
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return { page, next: rows.length > PAGE_SIZE && last ? `${last.createdAt}_${last.id}` : null };
}

/** `?k=v&after=…` of the non-empty filters. */
export function queryOf(filters: Record<string, string>, after?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (after) params.set('after', after);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** First page / next page links of a keyset list. */
export function Pager(props: { path: string; filters: Record<string, string>; first: boolean; next: string | null }) {
  return (
    <nav class="pager" aria-label="Pages">
      {!props.first && <a href={`${props.path}${queryOf(props.filters)}`}>First page</a>}
      {props.next && (
        <a href={`${props.path}${queryOf(props.filters, props.next)}`} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

/** What a page shows at the top: the flash of a finished action (`?done=`), or a refusal. */
export interface NoticeText {
  error?: string | null;
  ok?: string | null;
}

/** The confirmation for `?done=<key>`: only texts the page's own table holds (no text from the URL is shown). */
export function flashOf(c: Context<AppEnv>, table: Record<string, string>): NoticeText {
  const done = c.req.query('done');
  return { ok: done && Object.hasOwn(table, done) ? (table[done] ?? null) : null };
}

/**
 * One console write: `POST path` runs `run` (a domain function, acting as the secret key) and
 * redirects (303) to where it answers with `?done=<key>`, whose page shows the confirmation. A
 * refusal renders `refused` with the error table's message and status (nothing was changed).
 */
export function consoleAction(
  app: Hono<AppEnv>,
  path: string,
  handlers: {
    run: (c: Context<AppEnv>) => Promise<string>;
    refused: (c: Context<AppEnv>, notice: NoticeText, status: number) => Response | Promise<Response>;
  },
): void {
  app.post(path, async (c) => {
    let to: string;
    try {
      to = await handlers.run(c);
    } catch (error) {
      const { message, status } = pageError(error);
      return handlers.refused(c, { error: message }, status);
    }
    return c.redirect(to, 303);
  });
}
