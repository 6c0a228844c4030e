import type { DomainEvent, EventType } from '../events/events.js';
import type { Organization } from '../records.js';

/** Where a keyset page starts: the previous page's last row, by created_at then id. */
export interface KeysetCursor {
  createdAt: number;
  id: string;
}

/**
 * The operator console's instance-wide lists (decisions 032, 038): keyset pages, newest first, with
 * no total count, so a page deep into a million rows costs what the first does. Each is one index
 * range (migrations 0029 and 0035); a search narrows the same range.
 */
export interface ConsoleStore {
  /**
   * The ids of the users strictly after `after` (read them with `Store.listUsers`, which keeps this order). `query`: an address (has `@`) matches that address exactly;
   * anything else keeps users whose name ("first last"), address or id contains it, ignoring case.
   */
  listUsersAfter(options: { query?: string; after: KeysetCursor | null; limit: number }): Promise<string[]>;
  /** Organizations strictly after `after`; `query` as `Store.listOrganizations` (name or slug contains, or the id). */
  listOrganizationsAfter(options: {
    query?: string;
    after: KeysetCursor | null;
    limit: number;
  }): Promise<Organization[]>;
  /**
   * Events newest first (by seq) strictly before `beforeSeq`, filtered. `user` keeps the events a
   * user made or that concern them (their trail); `from`/`to` bound `created_at` (ms, `to` exclusive).
   */
  listEventsBefore(options: {
    beforeSeq: number | null;
    limit: number;
    organizationId?: string;
    actor?: string;
    user?: string;
    types?: EventType[];
    from?: number;
    to?: number;
  }): Promise<{ seq: number; event: DomainEvent }[]>;
}
