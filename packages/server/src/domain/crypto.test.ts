import { describe, expect, it } from 'vitest';
import { newId, newToken, secureRandom } from './crypto.js';

describe('ids and tokens', () => {
  it('draws fresh bytes every time, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) seen.add(secureRandom(32).toString('hex')); // ~40 refills of the 4 KiB pool
    expect(seen.size).toBe(5_000);
    const a = secureRandom(16);
    const copy = Buffer.from(a);
    a.fill(0);
    expect(secureRandom(16).equals(copy)).toBe(false);
  });

  it('makes 256-bit tokens and unique, prefixed, time-ordered ids', () => {
    const tokens = new Set(Array.from({ length: 2_000 }, newToken));
    expect(tokens.size).toBe(2_000);
    for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(32);

    const first = newId('orginv');
    expect(first).toMatch(/^orginv_[0-9A-Za-z]{27}$/);
    const later = new Promise<string>((resolve) => setTimeout(() => resolve(newId('orginv')), 5));
    return later.then((second) => expect(second > first).toBe(true));
  });
});
