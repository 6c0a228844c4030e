// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { type ComponentType, type ReactNode, StrictMode } from 'react';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  type RosterClient,
  RosterProvider,
  useAuth,
  useOrganization,
  useOrganizationList,
  useRoster,
  useUser,
} from '../src/index.js';
import { liveServerForFile, PASSWORD, uniqueEmail } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

/** The seed component, compiled as app code (non-strict), so loaded by a path tsc does not follow. */
async function loadSeed(): Promise<ComponentType> {
  const path = './fixtures/invite-members.js';
  return ((await import(/* @vite-ignore */ path)) as { default: ComponentType }).default;
}

// StrictMode, as in a Next.js dev build: effects run twice, so start/stop must be idempotent.
const withRoster = (client: RosterClient, ui: ReactNode) => (
  <StrictMode>
    <RosterProvider client={client}>{ui}</RosterProvider>
  </StrictMode>
);

/** Records every request a client makes from now on (method, path and status), until `stop()`. */
function recordRequests() {
  const original = globalThis.fetch;
  const seen: string[] = [];
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push(`${init?.method ?? 'GET'} ${url.pathname} ${res.status}`);
    return res;
  };
  return {
    seen,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}

const listItems = () => screen.queryAllByRole('listitem').map((li) => li.textContent?.replace(/\s*Revoke$/, '').trim());

describe('the seed component (Clerk Core-1 docs), unchanged but for its import', () => {
  it('invites as Admin and as Member, shows them pending without a reload, and revokes', async () => {
    const InvitationList = await loadSeed();
    const admin = await live.admin('Acme');
    render(withRoster(admin.client, <InvitationList />));

    await screen.findByText('Pending invitations');
    expect(listItems()).toEqual([]);

    const email = screen.getByPlaceholderText('Email address') as HTMLInputElement;
    fireEvent.change(email, { target: { value: 'new.admin@example.com' } });
    fireEvent.click(screen.getByLabelText('Admin'));
    expect((screen.getByLabelText('Admin') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));

    await waitFor(() => expect(listItems()).toEqual(['new.admin@example.com']));
    expect(email.value).toBe('');
    expect((screen.getByLabelText('Member') as HTMLInputElement).checked).toBe(true);

    await live.advanceClock(1000);
    fireEvent.change(email, { target: { value: 'new.member@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(() => expect(listItems()).toEqual(['new.member@example.com', 'new.admin@example.com']));

    const pending = await admin.organization.getInvitations();
    expect(pending.data.map((i) => [i.emailAddress, i.role])).toEqual([
      ['new.member@example.com', 'org:member'],
      ['new.admin@example.com', 'org:admin'],
    ]);

    const row = screen.getByText(/new\.admin@example\.com/).closest('li')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(listItems()).toEqual(['new.member@example.com']));
    const revoked = await admin.organization.getInvitations({ status: 'revoked' });
    expect(revoked.data.map((i) => i.emailAddress)).toEqual(['new.admin@example.com']);
  });

  it('renders nothing for a member who may not list invitations', async () => {
    const InvitationList = await loadSeed();
    const admin = await live.admin('Acme');
    const member = await live.signedIn();
    await admin.organization.inviteMember({ emailAddress: member.email, role: 'basic_member' });
    const [invitation] = (await member.client.getUserInvitations()).data;
    await invitation!.accept();

    const requests = recordRequests();
    onTestFinished(requests.stop);
    const { container } = render(
      withRoster(
        member.client,
        <>
          <InvitationList />
          <ActiveOrg />
          <InvitationListState />
        </>,
      ),
    );
    await screen.findByText('active: Acme (org:member)');
    await screen.findByText('invitationList: null');
    await waitFor(() => expect(container.querySelector('h2')).toBeNull());
    // Without org:sys_memberships:manage the invitations are never asked for: no 403 in the console.
    expect(requests.seen.some((r) => r.includes('/invitations'))).toBe(false);
    expect(requests.seen.filter((r) => / [45]\d\d$/.test(r))).toEqual([]);
  });
});

function InvitationListState() {
  const { invitationList } = useOrganization({ invitationList: {} });
  return (
    <p>invitationList: {invitationList === undefined ? 'loading' : invitationList === null ? 'null' : 'loaded'}</p>
  );
}

function ActiveOrg() {
  const { isLoaded, organization, membership } = useOrganization();
  if (!isLoaded) return <p>loading</p>;
  return <p>{organization ? `active: ${organization.name} (${membership?.role})` : 'active: none'}</p>;
}

function InvitationPages({ infinite = false }: { infinite?: boolean }) {
  const { invitations } = useOrganization({ invitations: { pageSize: 2, infinite } });
  return (
    <div>
      <p data-testid="meta">
        page {invitations.page} of {invitations.pageCount}, {invitations.count} total
        {invitations.isLoading ? ', loading' : ''}
      </p>
      <ul>
        {invitations.data.map((i) => (
          <li key={i.id}>{i.emailAddress}</li>
        ))}
      </ul>
      <button type="button" disabled={!invitations.hasPreviousPage} onClick={invitations.fetchPrevious}>
        Previous
      </button>
      <button type="button" disabled={!invitations.hasNextPage} onClick={invitations.fetchNext}>
        Next
      </button>
    </div>
  );
}

const meta = () => screen.getByTestId('meta').textContent;
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('useOrganization({ invitations }) pagination', () => {
  async function adminWithInvitations(count: number) {
    const admin = await live.admin('Paged');
    for (const x of 'abcdefgh'.slice(0, count)) {
      await admin.organization.inviteMember({ emailAddress: `${x}@example.com`, role: 'basic_member' });
      await live.advanceClock(1000);
    }
    return admin;
  }

  it('pages with fetchNext/fetchPrevious and follows changes made elsewhere in the app', async () => {
    const admin = await adminWithInvitations(5);
    render(withRoster(admin.client, <InvitationPages />));

    await waitFor(() => expect(meta()).toBe('page 1 of 3, 5 total'));
    expect(listItems()).toEqual(['e@example.com', 'd@example.com']);
    expect(button('Previous').disabled).toBe(true);

    fireEvent.click(button('Next'));
    await waitFor(() => expect(listItems()).toEqual(['c@example.com', 'b@example.com']));
    expect(meta()).toBe('page 2 of 3, 5 total');
    fireEvent.click(button('Next'));
    await waitFor(() => expect(listItems()).toEqual(['a@example.com']));
    expect(button('Next').disabled).toBe(true);

    // Another part of the app invites: the list reloads in place.
    await act(() => admin.organization.inviteMember({ emailAddress: 'f@example.com', role: 'admin' }));
    await waitFor(() => expect(meta()).toBe('page 3 of 3, 6 total'));
    expect(listItems()).toEqual(['b@example.com', 'a@example.com']);

    // Revoking empties page 3: the list moves back to the last page that exists.
    const { data } = await admin.organization.getInvitations({ pageSize: 2, initialPage: 3 });
    await act(async () => {
      for (const invitation of data) await invitation.revoke();
    });
    await waitFor(() => expect(meta()).toBe('page 2 of 2, 4 total'));
    expect(listItems()).toEqual(['d@example.com', 'c@example.com']);

    fireEvent.click(button('Previous'));
    await waitFor(() => expect(listItems()).toEqual(['f@example.com', 'e@example.com']));
  });

  it('appends pages with infinite: true', async () => {
    const admin = await adminWithInvitations(5);
    render(withRoster(admin.client, <InvitationPages infinite />));
    await waitFor(() => expect(listItems()).toEqual(['e@example.com', 'd@example.com']));
    fireEvent.click(button('Next'));
    await waitFor(() =>
      expect(listItems()).toEqual(['e@example.com', 'd@example.com', 'c@example.com', 'b@example.com']),
    );
    fireEvent.click(button('Next'));
    await waitFor(() => expect(listItems()).toHaveLength(5));
    expect(button('Next').disabled).toBe(true);
  });
});

function Members() {
  const { memberships, organization } = useOrganization({ memberships: { pageSize: 10 } });
  if (!organization) return null;
  return (
    <ul>
      {memberships.data.map((m) => (
        <li key={m.id}>
          {m.publicUserData.identifier}={m.role}
          <button type="button" onClick={() => m.update({ role: m.role === 'org:admin' ? 'basic_member' : 'admin' })}>
            Toggle
          </button>
          <button type="button" onClick={() => m.destroy()}>
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

describe('useOrganization({ memberships })', () => {
  it('reloads after role changes and removals', async () => {
    const admin = await live.admin('Crew');
    const member = await live.signedIn();
    await admin.organization.inviteMember({ emailAddress: member.email, role: 'basic_member' });
    await (await member.client.getUserInvitations()).data[0]!.accept();

    render(withRoster(admin.client, <Members />));
    const rows = () => screen.queryAllByRole('listitem').map((li) => li.textContent?.replace(/ToggleRemove$/, ''));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()).toContain(`${member.email}=org:member`);

    const row = () => screen.getByText(new RegExp(member.email.replace(/[.]/g, '\\.'))).closest('li')!;
    fireEvent.click(within(row()).getByRole('button', { name: 'Toggle' }));
    await waitFor(() => expect(rows()).toContain(`${member.email}=org:admin`));

    // A change made outside the hooks, through the same client, shows too.
    await act(() => admin.organization.updateMember({ userId: member.userId, role: 'basic_member' }));
    await waitFor(() => expect(rows()).toContain(`${member.email}=org:member`));

    fireEvent.click(within(row()).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(rows()).toEqual([`${admin.email}=org:admin`]));
  });
});

function MyOrganizations() {
  const { isLoaded, userMemberships, userInvitations } = useOrganizationList({
    userMemberships: true,
    userInvitations: true,
  });
  const { orgId } = useAuth();
  if (!isLoaded || userMemberships.isLoading || userInvitations.isLoading) return <p>loading</p>;
  return (
    <div>
      <p data-testid="memberships">
        {userMemberships.data.map((m) => `${m.organization.name}:${m.role}`).join(', ') || 'no memberships'}
      </p>
      <p data-testid="active">{orgId ?? 'no active organization'}</p>
      {userInvitations.data.map((i) => (
        <section key={i.id} aria-label={i.publicOrganizationData.name}>
          {i.publicOrganizationData.name} invites you as {i.roleName}
          <button type="button" onClick={() => i.accept()}>
            Accept
          </button>
          <button type="button" onClick={() => i.decline()}>
            Decline
          </button>
        </section>
      ))}
    </div>
  );
}

describe('useOrganizationList', () => {
  it('accepting a user invitation updates userMemberships, userInvitations and the active organization', async () => {
    const acme = await live.admin('Acme');
    const globex = await live.admin('Globex');
    const invitee = await live.signedIn();
    await acme.organization.inviteMember({ emailAddress: invitee.email, role: 'admin' });
    await globex.organization.inviteMember({ emailAddress: invitee.email, role: 'basic_member' });

    render(withRoster(invitee.client, <MyOrganizations />));
    const acmeInvite = await screen.findByRole('region', { name: 'Acme' });
    expect(acmeInvite.textContent).toContain('Acme invites you as Admin');
    expect(screen.getByRole('region', { name: 'Globex' })).toBeTruthy();
    expect(screen.getByTestId('memberships').textContent).toBe('no memberships');
    expect(screen.getByTestId('active').textContent).toBe('no active organization');

    fireEvent.click(within(acmeInvite).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(screen.getByTestId('memberships').textContent).toBe('Acme:org:admin'));
    await waitFor(() => expect(screen.getByTestId('active').textContent).toBe(acme.organization.id));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Acme' })).toBeNull());

    fireEvent.click(within(screen.getByRole('region', { name: 'Globex' })).getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Globex' })).toBeNull());
    expect(screen.getByTestId('memberships').textContent).toBe('Acme:org:admin');
  });
});

function Session() {
  const auth = useAuth();
  const { user } = useUser();
  const roster = useRoster();
  const { createOrganization, setActive, userMemberships } = useOrganizationList({ userMemberships: true });
  if (!auth.isLoaded) return <p data-testid="auth">loading</p>;
  return (
    <div>
      <p data-testid="auth">
        {auth.isSignedIn
          ? `${user?.primaryEmailAddress?.emailAddress} org=${auth.orgSlug ?? 'none'} role=${auth.orgRole ?? 'none'} manage=${auth.has({ permission: 'org:sys_memberships:manage' })}`
          : 'signed out'}
      </p>
      <p data-testid="orgs">
        {userMemberships.data
          .map((m) => m.organization.slug)
          .sort()
          .join(',')}
      </p>
      <button type="button" onClick={() => roster.signIn.create({ identifier: emailForSignIn, password: PASSWORD })}>
        Sign in
      </button>
      <button type="button" onClick={() => createOrganization({ name: 'First', slug: 'first' })}>
        Create first
      </button>
      <button type="button" onClick={() => createOrganization({ name: 'Second', slug: 'second' })}>
        Create second
      </button>
      <button type="button" onClick={() => setActive({ organization: 'first' })}>
        Switch to first
      </button>
      <button type="button" onClick={() => auth.signOut()}>
        Sign out
      </button>
    </div>
  );
}
let emailForSignIn = '';

function Bare() {
  useAuth();
  return null;
}

describe('useAuth and useUser', () => {
  it('follow sign-in, organization creation, switching and sign-out', async () => {
    emailForSignIn = uniqueEmail('session');
    await live.bapi('POST', '/v1/users', { email_address: [emailForSignIn], password: PASSWORD });
    render(withRoster(live.client(), <Session />));
    const auth = () => screen.getByTestId('auth').textContent;

    await waitFor(() => expect(auth()).toBe('signed out'));
    fireEvent.click(button('Sign in'));
    await waitFor(() => expect(auth()).toBe(`${emailForSignIn} org=none role=none manage=false`));

    fireEvent.click(button('Create first'));
    await waitFor(() => expect(auth()).toBe(`${emailForSignIn} org=first role=org:admin manage=true`));
    fireEvent.click(button('Create second'));
    await waitFor(() => expect(auth()).toContain('org=second'));
    await waitFor(() => expect(screen.getByTestId('orgs').textContent).toBe('first,second'));

    fireEvent.click(button('Switch to first'));
    await waitFor(() => expect(auth()).toContain('org=first'));

    fireEvent.click(button('Sign out'));
    await waitFor(() => expect(auth()).toBe('signed out'));
    expect(screen.getByTestId('orgs').textContent).toBe('');
  });

  it('a signed-out visitor loads with no 4xx: who is signed in comes back 200 with nobody', async () => {
    const requests = recordRequests();
    onTestFinished(requests.stop);
    render(withRoster(live.client(), <Session />));
    await waitFor(() => expect(screen.getByTestId('auth').textContent).toBe('signed out'));
    expect(requests.seen).toContain('GET /fapi/v1/client 200');
    expect(requests.seen.filter((r) => / [45]\d\d$/.test(r))).toEqual([]);
    // getToken() when signed out asks the same way and resolves with null.
    expect(await live.client().getToken()).toBeNull();
    expect(requests.seen.filter((r) => / [45]\d\d$/.test(r))).toEqual([]);
  });

  it('throws a clear error outside <RosterProvider>', () => {
    const spy = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Bare />)).toThrow('useAuth() must be used inside <RosterProvider>.');
    } finally {
      console.error = spy;
    }
  });
});
