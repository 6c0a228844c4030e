import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from '../../src/email/secret-box.js';

describe('secret box', () => {
  const box = createSecretBox('sk_test_instance_secret');

  it('round-trips text, with a fresh IV every time', () => {
    const plain = 'https://app.example.com/accept-invitation?ticket=abc_DEF-123 · ünïcode ✓';
    const a = box.seal(plain);
    const b = box.seal(plain);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('ticket');
    expect(box.open(a)).toBe(plain);
    expect(box.open(b)).toBe(plain);
    expect(box.open(box.seal(''))).toBe('');
  });

  it('opens with another box built from the same key (the key is derived, not random)', () => {
    expect(createSecretBox('sk_test_instance_secret').open(box.seal('042137'))).toBe('042137');
  });

  it('detects a changed ciphertext, IV or tag', () => {
    const sealed = box.seal('https://example.com/a?ticket=secret');
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    for (const tampered of [
      `${version}.${iv}.${flip(body, 0)}`,
      `${version}.${iv}.${flip(body, body.length - 2)}`,
      `${version}.${flip(iv, 3)}.${body}`,
    ]) {
      expect(() => box.open(tampered)).toThrow(SecretBoxError);
      expect(() => box.open(tampered)).toThrow(/altered|different secret key/);
    }
  });

  it('refuses a value sealed under another key', () => {
    const other = createSecretBox('sk_test_rotated_secret');
    expect(() => other.open(box.seal('042137'))).toThrow(/different secret key/);
  });

  it('keeps uses of one key apart: a box with another info neither opens nor is opened by the outbox box', () => {
    const keys = createSecretBox('sk_test_instance_secret', { info: 'roster-session-signing-key-v1' });
    expect(() => keys.open(box.seal('042137'))).toThrow(/different secret key/);
    expect(() => box.open(keys.seal('042137'))).toThrow(/different secret key/);
    expect(
      createSecretBox('sk_test_instance_secret', { info: 'roster-session-signing-key-v1' }).open(keys.seal('x')),
    ).toBe('x');
  });

  it('refuses malformed values with a clear error', () => {
    for (const bad of ['', 'plain text', 'v2.aaaa.bbbb', 'v1.short.x', 'v1..', `v1.${'A'.repeat(16)}.AAAA`]) {
      expect(() => box.open(bad)).toThrow(SecretBoxError);
    }
  });

  it('insists on a key', () => {
    expect(() => createSecretBox('')).toThrow(/must not be empty/);
  });
});
