import type { Metadata } from '@roster/protocol';

const isObject = (value: unknown): value is Metadata =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Clerk's metadata merge (`PATCH …/metadata`): nested objects merge key by key, `null` at any depth
 * deletes the key, and anything else (arrays included) replaces. Keys are copied as own data
 * properties, so a `__proto__` key from JSON stays a plain key.
 *
 * @example
 * mergeMetadata({ a: 1, n: { x: 1, y: 2 } }, { a: null, n: { y: 3 } }); // { n: { x: 1, y: 3 } }
 */
export function mergeMetadata(base: Metadata, patch: Metadata | null | undefined): Metadata {
  if (!patch) return base;
  const out: Metadata = {};
  for (const [key, value] of Object.entries(base)) define(out, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) define(out, key, mergeMetadata(isObject(base[key]) ? base[key] : {}, value));
    else define(out, key, value);
  }
  return out;
}

function define(target: Metadata, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
