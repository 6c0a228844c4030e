import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId, newToken, sameSecret, secureRandom, sha256 } from './crypto.js';

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

describe('comparing secrets', () => {
  it('sameSecret tells equal from different, whatever the lengths', () => {
    const hash = sha256('su_x:123456');
    expect(sameSecret(hash, sha256('su_x:123456'))).toBe(true);
    expect(sameSecret(hash, sha256('su_x:123457'))).toBe(false);
    expect(sameSecret(hash, hash.slice(0, 10))).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('sk_live_a', 'sk_live_ab')).toBe(false);
  });

  it('is the only way the server compares secrets: no other timingSafeEqual, no code or token hash compared with === or !==', () => {
    const src = join(import.meta.dirname, '..');
    const files = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => ({ f, text: readFileSync(join(src, f), 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    const timingSafe = files.filter(({ f, text }) => f !== join('domain', 'crypto.ts') && /timingSafeEqual/.test(text));
    expect(timingSafe.map(({ f }) => f)).toEqual([]);
    const plain = /[!=]==\s*[\w.]*(codeHash|tokenHash|TokenHash)\b|\b[\w.]*(codeHash|tokenHash|TokenHash)\s*[!=]==/;
    expect(files.filter(({ text }) => plain.test(text)).map(({ f }) => f)).toEqual([]);
  });
});
