/**
 * Session-token minting, CPU per token: what signing costs with each algorithm and way of
 * holding the key, then whole mints through the app in-process (session lookup, organization and
 * membership reads, signing; no socket), RS256 against EdDSA. Prints tokens/s.
 *
 *   node --conditions=@roster/source --import tsx bench/src/token-signing.ts [--seconds 2]
 *
 * "before" is the signer Roster had (jose's SignJWT, Ed25519 key derived from the secret key,
 * v1 claims); "after" is today's (`signSessionToken`: one `crypto.sign` with the cached key object).
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { loadConfig } from '../../packages/server/src/config.js';
import { sessionTokenClaims } from '../../packages/server/src/domain/sessions/token-claims.js';
import { signSessionToken } from '../../packages/server/src/http/frontend/session-tokens.js';
import { createLogger, createRoster } from '../../packages/server/src/server.js';
import type { SigningKeys } from '../../packages/server/src/signing-keys.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 2);
const SECRET_KEY = 'sk_test_bench_token_signing_0123456789';

async function rate(name: string, work: () => unknown, concurrency = 1): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (performance.now() < until) {
      await work();
      n++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const perSecond = n / elapsed;
  const cpuUs = (used.user + used.system) / n;
  console.log(
    `${name.padEnd(58)} ${Math.round(perSecond).toString().padStart(8)} tokens/s   ${cpuUs.toFixed(0).padStart(5)} µs CPU/token`,
  );
  return perSecond;
}

const session = {
  id: 'sess_bench',
  userId: 'user_bench',
  tokenHash: '',
  activeOrganizationId: 'org_bench',
  createdAt: Date.now(),
  expiresAt: Date.now() + 86_400_000,
  lastActiveAt: Date.now(),
  clientIp: null,
  userAgent: null,
};
const claims = () =>
  sessionTokenClaims({
    session,
    issuer: 'http://localhost:3000',
    now: Date.now(),
    ttlSeconds: 60,
    azp: 'http://localhost:3100',
    organization: {
      id: 'org_bench',
      slug: 'bench',
      role: 'org:admin',
      permissions: [
        'org:sys_profile:manage',
        'org:sys_profile:delete',
        'org:sys_memberships:read',
        'org:sys_memberships:manage',
      ],
    },
  });
const fixed = (alg: 'RS256' | 'EdDSA', privateKey: KeyObject): SigningKeys => {
  const signer = Promise.resolve({ privateKey, kid: 'ins_bench' });
  return { alg, signer: () => signer, jwks: async () => ({ keys: [] }) };
};

console.log(`signing only (${seconds} s each, 1 core):`);
const ed = generateKeyPairSync('ed25519').privateKey;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const rsaPem = rsa.export({ format: 'pem', type: 'pkcs8' }).toString();
const v1 = {
  sid: session.id,
  org_id: 'org_bench',
  org_slug: 'bench',
  org_role: 'org:admin',
  org_permissions: [
    'org:sys_profile:manage',
    'org:sys_profile:delete',
    'org:sys_memberships:read',
    'org:sys_memberships:manage',
  ],
  v: 1,
};
const jose = (alg: 'EdDSA' | 'RS256', key: KeyObject) => () => {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT(v1)
    .setProtectedHeader({ alg, kid: 'ins_bench', typ: 'JWT' })
    .setSubject(session.userId)
    .setIssuer('http://localhost:3000')
    .setIssuedAt(iat)
    .setNotBefore(iat - 5)
    .setExpirationTime(iat + 60)
    .sign(key);
};
await rate('before: jose SignJWT, EdDSA, cached key', jose('EdDSA', ed));
await rate('jose SignJWT, RS256, cached key', jose('RS256', rsa));
await rate('RS256, PEM imported per token (no cache)', () =>
  signSessionToken(fixed('RS256', createPrivateKey(rsaPem)), claims()),
);
await rate('after: signSessionToken, EdDSA, cached key', () => signSessionToken(fixed('EdDSA', ed), claims()));
await rate('after: signSessionToken, RS256, cached key', () => signSessionToken(fixed('RS256', rsa), claims()));

console.log('\nwhole mint in-process (POST /fapi/v1/client/sessions/:id/tokens via app.request, SQLite):');
for (const alg of ['EdDSA', 'RS256'] as const) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ':memory:',
    ROSTER_SECRET_KEY: SECRET_KEY,
    ROSTER_PUBLIC_URL: 'http://roster.bench',
    ROSTER_RATE_LIMITS: 'false',
    ROSTER_SESSION_TOKEN_ALG: alg,
    LOG_LEVEL: 'silent',
  });
  const roster = await createRoster(
    { ...config, secretKey: SECRET_KEY },
    { logger: createLogger('silent'), dispatch: false, sweep: false },
  );
  const call = (method: string, path: string, body: unknown, headers: Record<string, string>) =>
    roster.app.request(`http://roster.bench${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: 'http://roster.bench', ...headers },
      body: JSON.stringify(body),
    });
  const bapi = { authorization: `Bearer ${SECRET_KEY}` };
  const user = (await (
    await call('POST', '/v1/users', { email_address: ['bench@example.com'], password: 'a long bench password' }, bapi)
  ).json()) as { id: string };
  const org = (await (
    await call('POST', '/v1/organizations', { name: 'Bench', created_by: user.id }, bapi)
  ).json()) as {
    id: string;
  };
  const signIn = await call(
    'POST',
    '/fapi/v1/client/sign_ins',
    { identifier: 'bench@example.com', password: 'a long bench password' },
    {},
  );
  const cookie = (
    signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('__roster_session=') && !c.startsWith('__roster_session=;')) ?? ''
  ).split(';')[0]!;
  if (!cookie) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const me = (await (await roster.app.request('http://roster.bench/fapi/v1/me', { headers: { cookie } })).json()) as {
    session: { id: string };
  };
  await call('POST', '/fapi/v1/me/active_organization', { organization_id: org.id }, { cookie });
  const mint = async () => {
    const res = await call('POST', `/fapi/v1/client/sessions/${me.session.id}/tokens`, {}, { cookie });
    if (res.status !== 200) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  await mint();
  await rate(`mint ${alg}, c=1`, mint);
  await rate(`mint ${alg}, c=32`, mint, 32);
  await roster.close();
}
