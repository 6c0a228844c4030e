import { createHash } from 'node:crypto';
import type { BreachedPasswordCheck } from './domain/deps.js';

/**
 * The optional breached-password check: a k-anonymity range lookup against a service that speaks
 * the Pwned Passwords API (`GET {url}/range/{first 5 hex of SHA-1}`, answered with `SUFFIX:COUNT`
 * lines). Only the 5-character prefix leaves the server, and `Add-Padding: true` asks for decoy
 * lines (count 0) so the answer's size says nothing either. It fails open: a timeout, a network
 * error or a bad answer accepts the password and logs one warning, so an outage of the service
 * never stops sign-ups (the offline list still applies).
 */
export function pwnedPasswordsRange(options: {
  url: string;
  timeoutMs: number;
  log: { warn(obj: object, msg: string): void };
  fetch?: typeof fetch;
}): BreachedPasswordCheck {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  return {
    async isBreached(password) {
      const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
      const prefix = sha1.slice(0, 5);
      const suffix = sha1.slice(5);
      try {
        const res = await doFetch(`${base}/range/${prefix}`, {
          headers: { 'Add-Padding': 'true', 'User-Agent': 'roster' },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (!res.ok) throw new Error(`answered ${res.status}`);
        const body = await res.text();
        for (const line of body.split('\n')) {
          const [lineSuffix, count] = line.trim().split(':');
          if (lineSuffix?.toUpperCase() === suffix) return Number(count) > 0;
        }
        return false;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        options.log.warn(
          { service: new URL(base).host, reason },
          'breached-password check failed; the password was accepted (the offline list still applied)',
        );
        return false;
      }
    },
  };
}
