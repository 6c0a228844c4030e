import type { PaginatedResponse, RosterError } from '@roster/client';
import type { PaginatedResources, ResolvedListOptions } from './types.js';

/** Loads one page of a list. */
export type PageFetcher<T> = (page: { initialPage: number; pageSize: number }) => Promise<PaginatedResponse<T>>;

interface ListState<T> {
  data: T[];
  count: number;
  page: number;
  isLoading: boolean;
  isFetching: boolean;
  error: RosterError | null;
}

/**
 * One paginated list as an external store. Every load gets a sequence number and only the latest
 * one may write, so a slow response to an old page or filter never overwrites a newer one.
 */
export class ListStore<T> {
  readonly #fetch: PageFetcher<T>;
  readonly #options: ResolvedListOptions;
  readonly #listeners = new Set<() => void>();
  #state: ListState<T>;
  #snapshot: PaginatedResources<T>;
  #seq = 0;
  #started = false;

  constructor(fetch: PageFetcher<T>, options: ResolvedListOptions) {
    this.#fetch = fetch;
    this.#options = options;
    this.#state = { data: [], count: 0, page: options.initialPage, isLoading: true, isFetching: false, error: null };
    this.#snapshot = this.#build();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getSnapshot = (): PaginatedResources<T> => this.#snapshot;

  /** Loads the first page. Idempotent; `stop()` drops answers still in flight. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#load(this.#state.page, 'replace');
  }

  stop(): void {
    this.#started = false;
    this.#seq++;
  }

  fetchPage = (page: number | ((current: number) => number)): void => {
    const target = Math.max(1, Math.floor(typeof page === 'function' ? page(this.#state.page) : page));
    if (this.#options.infinite && target === this.#state.page + 1) void this.#load(target, 'append');
    else void this.#load(target, 'replace');
  };

  fetchNext = (): void => this.fetchPage((p) => p + 1);

  fetchPrevious = (): void => this.fetchPage((p) => Math.max(1, p - 1));

  revalidate = (): Promise<void> => this.#load(this.#state.page, 'revalidate');

  async #load(page: number, mode: 'replace' | 'append' | 'revalidate'): Promise<void> {
    const seq = ++this.#seq;
    const { pageSize, infinite, keepPreviousData, initialPage } = this.#options;
    const blank = mode === 'replace' && !keepPreviousData && page !== this.#state.page;
    this.#set({
      page,
      isFetching: true,
      ...(blank && { data: [], isLoading: true }),
    });
    try {
      let data: T[];
      let count: number;
      if (infinite && mode !== 'append') {
        // Reload every page shown so far, so appended pages stay consistent after a change.
        const pages = await Promise.all(
          Array.from({ length: Math.max(1, page - initialPage + 1) }, (_, i) =>
            this.#fetch({ initialPage: initialPage + i, pageSize }),
          ),
        );
        data = pages.flatMap((p) => p.data);
        count = pages.at(-1)?.totalCount ?? 0;
      } else {
        const result = await this.#fetch({ initialPage: page, pageSize });
        data = mode === 'append' ? [...this.#state.data, ...result.data] : result.data;
        count = result.totalCount;
      }
      if (seq !== this.#seq) return;
      const lastPage = Math.max(1, Math.ceil(count / pageSize));
      if (!infinite && page > lastPage) {
        // Items went away (revoked, removed) and this page is now past the end: show the last one.
        return this.#load(lastPage, 'revalidate');
      }
      this.#set({ data, count, page, isLoading: false, isFetching: false, error: null });
    } catch (error) {
      if (seq !== this.#seq) return;
      this.#set({ isLoading: false, isFetching: false, error: error as RosterError });
    }
  }

  #set(patch: Partial<ListState<T>>): void {
    this.#state = { ...this.#state, ...patch };
    this.#snapshot = this.#build();
    for (const listener of [...this.#listeners]) listener();
  }

  #build(): PaginatedResources<T> {
    const { data, count, page, isLoading, isFetching, error } = this.#state;
    const { pageSize, infinite } = this.#options;
    return {
      data,
      count,
      isLoading,
      isFetching,
      isError: error !== null,
      error,
      page,
      pageCount: Math.ceil(count / pageSize),
      hasNextPage: count > page * pageSize,
      hasPreviousPage: !infinite && page > 1,
      fetchNext: this.fetchNext,
      fetchPrevious: this.fetchPrevious,
      fetchPage: this.fetchPage,
      revalidate: this.revalidate,
    };
  }
}

const noop = () => {};

/** What a requested list shows while there is nothing to load (signed out, no active organization). */
export function idleList<T>(options: ResolvedListOptions, isLoading: boolean): PaginatedResources<T> {
  return {
    data: [],
    count: 0,
    isLoading,
    isFetching: false,
    isError: false,
    error: null,
    page: options.initialPage,
    pageCount: 0,
    hasNextPage: false,
    hasPreviousPage: false,
    fetchNext: noop,
    fetchPrevious: noop,
    fetchPage: noop,
    revalidate: async () => {},
  };
}
