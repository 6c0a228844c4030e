import { type ClerkClient, createClerkClient } from '@clerk/backend';
import { type ClerkAPIResponseError, isClerkAPIResponseError } from '@clerk/backend/errors';
import { SECRET_KEY, startTestRoster, type TestRoster } from './harness.js';

/**
 * A Roster test server listening on a real port, with `@clerk/backend`'s client pointed at it:
 * what the Clerk-compatibility tests share. `url` is the server's base (for the few calls the
 * client has no method for).
 *
 * @example
 * const { t, clerk } = await startClerkRoster();
 * await clerk.users.createUser({ emailAddress: ['a@example.com'], password: '…' });
 * await t.close();
 */
export async function startClerkRoster(
  options: Parameters<typeof startTestRoster>[0] = {},
): Promise<{ t: TestRoster; clerk: ClerkClient; url: string }> {
  const t = await startTestRoster({ ...options, env: { PORT: '0', HOST: '127.0.0.1', ...options.env } });
  const url = await t.roster.listen();
  return { t, clerk: createClerkClient({ secretKey: SECRET_KEY, apiUrl: url }), url };
}

/**
 * Awaits a Clerk call that must fail and returns the Clerk API error it threw (`status`, and
 * `errors` with each `code`, `message`, `longMessage`, `meta`); fails the test when it succeeds or
 * throws anything else.
 */
export async function clerkError(call: Promise<unknown> | (() => Promise<unknown>)): Promise<ClerkAPIResponseError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error;
    throw error;
  }
  throw new Error('expected the Clerk call to fail with a ClerkAPIResponseError');
}
