import type { Store } from '../../src/domain/store.js';

/**
 * A store that records the name of every method called on it, and on the transactions it opens
 * (each call is one statement, one round trip; `tx:` before the name of a call in a transaction),
 * then forwards the call.
 */
export function recordingStore(store: Store, calls: string[], prefix = ''): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'transaction') {
        return <T>(fn: (tx: Store) => Promise<T>) => target.transaction((tx) => fn(recordingStore(tx, calls, 'tx:')));
      }
      return (...args: unknown[]) => {
        calls.push(`${prefix}${String(prop)}`);
        return value.apply(target, args);
      };
    },
  });
}
