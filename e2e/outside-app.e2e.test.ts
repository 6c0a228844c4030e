import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RosterProcess, startRosterProcess } from '../packages/server/test/support/processes.js';
import { startSmtp, type TestSmtp } from '../packages/server/test/support/smtp.js';
import { type PackedPackage, packPackages } from '../scripts/packages.js';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser.js';
import { ROOT } from './support/example-build.js';
import { buildSummary, createOutsideApp, type OutsideApp, runIn } from './support/outside-app.js';

/**
 * Roster as a user meets it: the packed tarballs installed into a fresh Next.js 16 app in the OS
 * temp folder (outside this repository), built with the default `next build` (Turbopack), first
 * with the tsconfig Next generates and Clerk's seed component with only its import changed, then
 * with `strict` + `exactOptionalPropertyTypes` and typed code making the same calls plus `auth()`.
 * The seed build then runs against a real Roster, and Chromium invites and revokes through it.
 */

const PASSWORD = 'correct horse battery staple';
const SECRET_KEY = 'sk_test_roster_outside_0123456789abcdef';
// The seed as our users have it (shared/ beside the checkout, as CI lays it), with only its import
// changed; where shared/ is absent, the example's copy, which is exactly that file.
const SHARED_SEED = join(ROOT, '../shared/seed/invite-members.tsx');
const SEED = readFileSync(
  existsSync(SHARED_SEED) ? SHARED_SEED : join(ROOT, 'examples/nextjs/app/organization/seed/invite-members.tsx'),
  'utf8',
).replace("from '@clerk/nextjs'", "from '@roster/nextjs'");
const timings: Record<string, number> = {};
let packed: PackedPackage[];
let app: OutsideApp;

const LAYOUT = `import { RosterProvider } from '@roster/nextjs';
import type { ReactNode } from 'react';

export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <RosterProvider>{children}</RosterProvider>
      </body>
    </html>
  );
}
`;

const PAGES: Record<string, string> = {
  'app/layout.tsx': LAYOUT,
  'app/page.tsx': `export default function Home() {
  return <a href="/sign-in">Sign in</a>;
}
`,
  'app/sign-in/page.tsx': `import { SignIn } from '@roster/nextjs';

export default function SignInPage() {
  return <SignIn afterSignInUrl="/new-organization" />;
}
`,
  'app/new-organization/page.tsx': `import { CreateOrganization } from '@roster/nextjs';

export default function NewOrganizationPage() {
  return <CreateOrganization afterCreateOrganizationUrl="/invite" />;
}
`,
  'app/whoami/page.tsx': `import { auth } from '@roster/nextjs/server';

export default async function WhoAmI() {
  const { userId, orgId, orgRole } = await auth();
  return <pre data-testid="auth">{JSON.stringify({ userId, orgId, orgRole })}</pre>;
}
`,
};

const SEED_PAGE = `'use client';
import InvitationList from './invite-members';

export default function InvitePage() {
  return <InvitationList />;
}
`;

// The seed's calls, typed, for a strict app.
const TYPED = `'use client';
import { type OrganizationInvitation, useOrganization } from '@roster/nextjs';
import { type FormEvent, useState } from 'react';

type Role = 'basic_member' | 'admin';

export default function TypedInvitations() {
  const { organization, invitationList } = useOrganization({ invitationList: {} });
  const [emailAddress, setEmailAddress] = useState('');
  const [role, setRole] = useState<Role>('basic_member');

  const onSubmit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (!organization) return;
    await organization.inviteMember({ emailAddress, role });
    setEmailAddress('');
  };
  const revoke = async (invitation: OrganizationInvitation): Promise<void> => {
    await invitation.revoke();
  };

  if (!invitationList) return null;
  return (
    <form onSubmit={onSubmit}>
      <input value={emailAddress} onChange={(e) => setEmailAddress(e.target.value)} />
      <button type="button" onClick={() => setRole(role === 'admin' ? 'basic_member' : 'admin')}>{role}</button>
      <ul>
        {invitationList.map((i) => (
          <li key={i.id}>
            {i.emailAddress} <button type="button" onClick={() => revoke(i)}>Revoke</button>
          </li>
        ))}
      </ul>
    </form>
  );
}
`;

// Server-side checks and the control components, in a strict app (Clerk's names and shapes).
const BILLING_PAGE = `import { auth } from '@roster/nextjs/server';
import BillingPanel from './billing-panel';

export default async function BillingPage() {
  const { orgId } = await auth.protect({ permission: 'org:invoices:create' }, { unauthenticatedUrl: '/sign-in' });
  return <BillingPanel orgId={orgId ?? ''} />;
}
`;

const BILLING_PANEL = `'use client';
import { Protect, Show } from '@roster/nextjs';

export default function BillingPanel({ orgId }: { orgId: string }) {
  return (
    <section>
      <Protect role="org:admin" fallback={<p>Admins only.</p>}>
        <h1>Billing for {orgId}</h1>
      </Protect>
      <Show when={(has) => has({ permission: 'org:invoices:create' })}>
        <button type="button">New invoice</button>
      </Show>
      <Show when="signed-out">
        <a href="/sign-in">Sign in</a>
      </Show>
    </section>
  );
}
`;

// The layout as a French app writes it: Clerk's localization prop with a full locale.
const FRENCH_LAYOUT = `import { RosterProvider } from '@roster/nextjs';
import { frFR } from '@roster/nextjs/localizations';
import type { ReactNode } from 'react';

export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="fr">
      <body>
        <RosterProvider localization={frFR}>{children}</RosterProvider>
      </body>
    </html>
  );
}
`;

const TYPED_PAGE = `import TypedInvitations from './typed-invitations';

export default function InvitePage() {
  return <TypedInvitations />;
}
`;

function strictTsconfig(generated: string): string {
  const config = JSON.parse(generated) as { compilerOptions: Record<string, unknown> };
  config.compilerOptions.strict = true;
  config.compilerOptions.exactOptionalPropertyTypes = true;
  return `${JSON.stringify(config, null, 2)}\n`;
}

function expectBuilt(result: { code: number | null; output: string }) {
  if (result.code !== 0) throw new Error(`next build failed (${result.code}):\n${result.output}`);
  expect(result.output).toMatch(/Turbopack/);
  expect(result.output).not.toMatch(/webpack/i);
}

describe('a Next.js 16 app outside the repository, with the packed packages', () => {
  beforeAll(async () => {
    let started = Date.now();
    packed = await packPackages();
    timings.pack = Date.now() - started;
    started = Date.now();
    const created = await createOutsideApp(packed);
    app = created.app;
    timings.install = created.install.ms;
    console.log(`outside app in ${app.dir}; npm install took ${created.install.ms} ms`);
  }, 900_000);

  afterAll(() => {
    console.log(`outside app timings (ms): ${JSON.stringify(timings)}`);
    if (app && !process.env.ROSTER_KEEP_OUTSIDE_APP) app.destroy();
  });

  it('installs no TypeScript sources and no workspace links', async () => {
    const listed = await runIn(app.dir, 'npm', ['ls', '--all', '--parseable']);
    const roster = listed.output.split('\n').filter((line) => line.includes('/@roster/'));
    expect(roster.map((line) => line.slice(line.indexOf('node_modules/')))).toEqual(
      expect.arrayContaining(packed.map((p) => `node_modules/${p.name}`)),
    );
    for (const line of roster) expect(line.startsWith(app.dir)).toBe(true);
    for (const pkg of packed) {
      const installed = join(app.dir, 'node_modules', pkg.name);
      expect(lstatSync(installed).isSymbolicLink()).toBe(false);
      const sources = readdirSync(installed, { recursive: true, encoding: 'utf8' }).filter(
        (file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'),
      );
      expect(sources).toEqual([]);
    }
  });

  it("builds with Next's generated tsconfig and the seed component, import changed only", async () => {
    for (const [path, content] of Object.entries(PAGES)) app.write(path, content);
    app.write('app/invite/page.tsx', SEED_PAGE);
    app.write('app/invite/invite-members.tsx', SEED);
    const result = await app.build();
    timings.seedBuild = result.ms;
    expectBuilt(result);
    console.log(`seed build (${result.ms} ms):\n${buildSummary(result.output)}`);
    const generated = JSON.parse(readFileSync(join(app.dir, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { strict?: boolean };
    };
    expect(generated.compilerOptions.strict).toBe(false);
  }, 600_000);

  describe.runIf(chromiumAvailable())('in Chromium against a Roster process', () => {
    let smtp: TestSmtp;
    let roster: RosterProcess;
    let browser: Browser;
    let next: ReturnType<typeof spawn> | undefined;
    let nextOutput = '';

    it('signs in, creates an organization, invites and revokes through the seed component', async () => {
      const started = Date.now();
      const [smtpServer, rosterPort, appPort] = await Promise.all([startSmtp(), freePort(), freePort()]);
      smtp = smtpServer;
      const appUrl = `http://localhost:${appPort}`;
      const rosterUrl = `http://localhost:${rosterPort}`;
      roster = await startRosterProcess({
        PORT: String(rosterPort),
        NODE_ENV: 'test',
        ROSTER_SECRET_KEY: SECRET_KEY,
        ROSTER_PUBLIC_URL: rosterUrl,
        ROSTER_ALLOWED_ORIGINS: appUrl,
        SMTP_URL: smtp.url,
      });
      next = spawn(
        process.execPath,
        [join(app.dir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(appPort)],
        {
          cwd: app.dir,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ROSTER_URL: rosterUrl },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      next.stdout?.on('data', (d) => (nextOutput += d));
      next.stderr?.on('data', (d) => (nextOutput += d));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await fetch(`${appUrl}/`).catch(() => null);
        if (res?.ok) break;
        if (Date.now() > deadline || next.exitCode !== null)
          throw new Error(`next start did not answer:\n${nextOutput}`);
        await new Promise((r) => setTimeout(r, 200));
      }

      const email = `outside-${Math.random().toString(36).slice(2, 7)}@example.com`;
      const bapi = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${roster.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        return (await res.json()) as { data?: { email_address: string; status: string }[] } & Record<string, unknown>;
      };
      await bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD, first_name: 'Ada' });

      browser = await launchChromium();
      const page = await (await browser.newContext()).newPage();
      try {
        await page.goto(`${appUrl}/sign-in`);
        await page.getByLabel('Email address', { exact: true }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${appUrl}/new-organization`);
        await page.getByLabel('Organization name').fill('Outside');
        await page.getByRole('button', { name: 'Create organization' }).click();
        await page.getByRole('heading', { name: 'Invite new members' }).waitFor();
        await page.locator('select[name=role]:not([aria-busy])').waitFor();
        await page.getByRole('button', { name: 'Skip' }).click();
        await page.waitForURL(`${appUrl}/invite`);

        const invitee = `invitee-${email}`;
        await page.getByPlaceholder('Email address').fill(invitee);
        await page.getByLabel('Admin').check();
        await page.getByRole('button', { name: 'Invite' }).click();
        const row = page.locator('li', { hasText: invitee });
        await row.waitFor();
        await screenshot(page, 'outside-app-invited');
        expect(await smtp.waitFor(invitee)).toBeTruthy();

        // auth() in a server component reads the session token cookie the provider keeps.
        const server = await page.context().newPage();
        let shown: { userId?: string; orgId?: string; orgRole?: string } = {};
        for (let attempt = 0; attempt < 20 && shown.orgRole !== 'org:admin'; attempt++) {
          await server.goto(`${appUrl}/whoami`);
          shown = JSON.parse((await server.getByTestId('auth').textContent()) ?? '{}');
          if (shown.orgRole !== 'org:admin') await new Promise((r) => setTimeout(r, 500));
        }
        expect(shown).toMatchObject({ orgRole: 'org:admin' });
        expect(shown.userId).toMatch(/^user_/);
        const orgId = shown.orgId as string;
        const pending = await bapi('GET', `/v1/organizations/${orgId}/invitations?status=pending`);
        expect(pending.data?.map((i) => `${i.email_address} ${i.status}`)).toEqual([`${invitee} pending`]);

        await row.getByRole('button', { name: 'Revoke' }).click();
        await row.waitFor({ state: 'detached' });
        const revoked = await bapi('GET', `/v1/organizations/${orgId}/invitations?status=revoked`);
        expect(revoked.data?.map((i) => `${i.email_address} ${i.status}`)).toEqual([`${invitee} revoked`]);
        timings.browser = Date.now() - started;
      } catch (error) {
        await screenshot(page, 'outside-app-failure').catch(() => undefined);
        throw new Error(`${String(error)}\n--- next ---\n${nextOutput}\n--- roster ---\n${roster.output()}`);
      } finally {
        // Stopped here, not in a hook: the strict build after this test replaces .next.
        await browser.close();
        const exited = new Promise((done) => next?.once('exit', done));
        next.kill('SIGTERM');
        await exited;
        await roster.kill();
        await smtp.close();
      }
    }, 180_000);
  });
  it('builds with the strict settings, exactOptionalPropertyTypes, typed components, auth(), auth.protect(), <Protect>, <Show> and frFR', async () => {
    app.remove('app/invite');
    app.remove('.next');
    app.write('app/invite/page.tsx', TYPED_PAGE);
    app.write('app/invite/typed-invitations.tsx', TYPED);
    app.write('app/billing/page.tsx', BILLING_PAGE);
    app.write('app/billing/billing-panel.tsx', BILLING_PANEL);
    app.write('app/layout.tsx', FRENCH_LAYOUT);
    // The tsconfig Next wrote on the first build, with strictness turned up as a user would.
    app.write('tsconfig.json', strictTsconfig(readFileSync(join(app.dir, 'tsconfig.json'), 'utf8')));
    const result = await app.build();
    timings.strictBuild = result.ms;
    expectBuilt(result);
    console.log(`strict build (${result.ms} ms):\n${buildSummary(result.output)}`);
    expect(result.output).toMatch(/\/whoami/);
    expect(result.output).toMatch(/\/billing/);
  }, 600_000);
});
