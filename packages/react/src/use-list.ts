'use client';
import type { PaginatedResponse, RosterChangeEvent, RosterClient } from '@roster/client';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { idleList, ListStore } from './list-store.js';
import type { PaginatedResources, ResolvedListOptions } from './types.js';

const noSubscribe = () => () => {};
const nothing = () => undefined;

/**
 * Internal: one list, kept fresh. `scope` names what the list shows (organization or user id and
 * filters); a new scope starts a new list at `initialPage`. `null` options = not requested.
 * `scope: null` = requested but nothing to show yet (signed out, no organization).
 */
export function useList<T>(config: {
  client: RosterClient;
  options: ResolvedListOptions | null;
  scope: string | null;
  isLoading: boolean;
  fetch: (page: { initialPage: number; pageSize: number }) => Promise<PaginatedResponse<T>>;
  relevant: (event: RosterChangeEvent) => boolean;
}): PaginatedResources<T> | undefined {
  const { client, options, scope, isLoading } = config;
  const latest = useRef(config);
  latest.current = config;
  const optionsKey = options ? JSON.stringify(options) : null;

  const store = useMemo(() => {
    if (optionsKey === null || scope === null) return null;
    const resolved = JSON.parse(optionsKey) as ResolvedListOptions;
    return new ListStore<T>((page) => latest.current.fetch(page), resolved);
  }, [optionsKey, scope]);

  useEffect(() => {
    if (!store) return;
    store.start();
    const unsubscribe = client.onChange((event) => {
      // After a sign-out the provider drops every list; reloading them would only meet a 401.
      if (event.kind !== 'signed_out' && latest.current.relevant(event)) void store.revalidate();
    });
    return () => {
      unsubscribe();
      store.stop();
    };
  }, [store, client]);

  const snapshot = useSyncExternalStore(
    store ? store.subscribe : noSubscribe,
    store ? store.getSnapshot : nothing,
    store ? store.getSnapshot : nothing,
  );
  const idle = useMemo(
    () => (optionsKey === null ? undefined : idleList<T>(JSON.parse(optionsKey) as ResolvedListOptions, isLoading)),
    [optionsKey, isLoading],
  );
  return snapshot ?? idle;
}
