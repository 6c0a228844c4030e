import { describe, expect, it } from 'vitest';
import { mergeMetadata } from './metadata.js';

describe('mergeMetadata', () => {
  it('merges nested objects and deletes keys set to null at any depth', () => {
    const base = { keep: 1, drop: 2, nested: { a: 1, b: 2, deeper: { x: 1 } }, list: [1, 2] };
    expect(mergeMetadata(base, { drop: null, nested: { b: 3, deeper: { x: null, y: 2 } }, list: [3] })).toEqual({
      keep: 1,
      nested: { a: 1, b: 3, deeper: { y: 2 } },
      list: [3],
    });
    expect(base.nested.b).toBe(2);
  });

  it('replaces a non-object with an object (dropping nulls inside it) and leaves base alone without a patch', () => {
    expect(mergeMetadata({ a: 'text' }, { a: { b: 1, c: null } })).toEqual({ a: { b: 1 } });
    const base = { a: 1 };
    expect(mergeMetadata(base, null)).toBe(base);
    expect(mergeMetadata(base, undefined)).toBe(base);
  });

  it('keeps a __proto__ key from JSON as a plain key', () => {
    const merged = mergeMetadata({}, JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
