// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import type { Organization, RosterClient } from '@roster/client';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  OrganizationList,
  OrganizationProfile,
  OrganizationSwitcher,
  useOrganization,
  useOrganizationList,
} from '../../src/index.js';
import { type LiveServer, liveServerForFile, PASSWORD } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

const domainName = () => `acme-${Math.random().toString(36).slice(2, 8)}.test`;
const codeMailedTo = async (l: LiveServer, to: string) => {
  const code = /\b(\d{6})\b/.exec((await l.waitForMail(to)).text)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}`);
  return code;
};

/** A verified domain of `organization` in automatic suggestion mode, made through the client. */
async function suggestingDomain(organization: Organization, name = domainName()) {
  const domain = await organization.createDomain(name);
  await domain.prepareAffiliationVerification({ affiliationEmailAddress: `it@${name}` });
  await domain.attemptAffiliationVerification({ code: await codeMailedTo(live, `it@${name}`) });
  await domain.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' });
  return domain;
}

/** A new account made through the Frontend API's sign-up with the code mailed to `email`. */
async function signUp(email: string, firstName: string): Promise<RosterClient> {
  const client = live.client();
  await client.signUp.create({ emailAddress: email, password: PASSWORD, firstName, lastName: 'Someone' });
  await client.signUp.verify({ emailAddress: email, code: await codeMailedTo(live, email) });
  return client;
}

describe('Verified domains in <OrganizationProfile/> General', () => {
  it('an admin adds a domain, verifies it by the mailed code, sets automatic suggestions and removes it, focus kept throughout', async () => {
    const admin = await live.admin('Domains Inc');
    const name = domainName();
    renderWithRoster(admin.client, <OrganizationProfile defaultTab="general" />);
    const section = await screen.findByTestId('domains-section');
    await within(section).findByText('No domains yet.');

    fireEvent.click(within(section).getByRole('button', { name: 'Add domain' }));
    const field = within(section).getByLabelText('Domain');
    await waitFor(() => expect(document.activeElement).toBe(field));
    fireEvent.change(field, { target: { value: name } });
    fireEvent.click(within(section).getByRole('button', { name: 'Add domain' }));

    const verify = await within(section).findByTestId('verify-domain');
    await within(section).findByText(`${name} was added. Verify it with a code sent to an address on it.`);
    const address = within(verify).getByLabelText('Verification email address');
    await waitFor(() => expect(document.activeElement).toBe(address));
    const row = () => section.querySelector(`li[data-domain="${name}"]`) as HTMLElement;
    expect(within(row()).getByTestId('domain-status').textContent).toBe('Unverified');

    fireEvent.change(address, { target: { value: 'it@example.com' } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Send code' }));
    expect(within(verify).getByRole('alert').textContent).toBe(`The address must be on ${name}.`);

    fireEvent.change(address, { target: { value: `it@${name}` } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Send code' }));
    await within(verify).findByText(`A verification code was sent to it@${name}. Enter the code to continue.`);
    const codeField = within(verify).getByLabelText('Verification code');
    await waitFor(() => expect(document.activeElement).toBe(codeField));
    fireEvent.change(codeField, { target: { value: await codeMailedTo(live, `it@${name}`) } });
    fireEvent.click(within(verify).getByRole('button', { name: 'Verify' }));

    const enrollment = await within(section).findByTestId('domain-enrollment');
    await within(section).findByText(`${name} is verified. Choose how people from it join.`);
    const manual = within(enrollment).getByRole('radio', { name: /No automatic enrollment/ }) as HTMLInputElement;
    expect(manual.checked).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(manual));
    fireEvent.click(within(enrollment).getByRole('radio', { name: /Automatic suggestions/ }));
    const deletePending = within(enrollment).getByRole('checkbox', {
      name: 'Delete pending invitations and suggestions',
    }) as HTMLInputElement;
    fireEvent.click(deletePending);
    expect(deletePending.checked).toBe(true);
    fireEvent.click(within(enrollment).getByRole('button', { name: 'Save' }));
    await within(section).findByText(`${name}: Automatic suggestions.`);
    await waitFor(() => expect(row().dataset.mode).toBe('automatic_suggestion'));
    expect(within(row()).getByTestId('domain-status').textContent).toBe('Verified');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(row()).getByRole('button', { name: `Manage ${name}` })),
    );
    const stored = await live.bapi('GET', `/v1/organizations/${admin.organization.id}/domains`);
    expect(stored.body.data).toMatchObject([
      { name, enrollment_mode: 'automatic_suggestion', verification: { status: 'verified' } },
    ]);

    // Removing asks first; Cancel goes back to the button, Remove domain removes it.
    const remove = within(row()).getByRole('button', { name: `Remove ${name}` });
    fireEvent.click(remove);
    let dialog = within(section).getByRole('alertdialog', { name: `Remove ${name}?` });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(remove));
    fireEvent.click(remove);
    dialog = within(section).getByRole('alertdialog', { name: `Remove ${name}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove domain' }));
    await within(section).findByText(`${name} has been removed.`);
    await within(section).findByText('No domains yet.');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(section).getByRole('heading', { name: 'Verified domains' })),
    );
    expect((await live.bapi('GET', `/v1/organizations/${admin.organization.id}/domains`)).body.data).toEqual([]);
  });

  it('a member sees no domains section and no Requests tab, even when asked for it', async () => {
    const admin = await live.admin('Quiet Co');
    const member = await live.signedIn();
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    await member.client.setActive({ organization: admin.organization.id });
    renderWithRoster(member.client, <OrganizationProfile defaultTab="requests" />);
    const tab = await screen.findByRole('tab', { name: /Members/ });
    await waitFor(() => expect(tab.getAttribute('aria-selected')).toBe('true'));
    expect(screen.queryByRole('tab', { name: /Requests/ })).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'General' }));
    expect(screen.queryByTestId('domains-section')).toBeNull();
  });
});

describe('suggestions and requests to join', () => {
  it('a new user asks to join from the switcher; the admin sees the badges, a reject is confirmed, and Approve lets the next one in', async () => {
    const admin = await live.admin('Suggesting Co');
    const name = domainName();
    await suggestingDomain(admin.organization, name);
    const sam = await signUp(`sam@${name}`, 'Sam');
    const kim = await signUp(`kim@${name}`, 'Kim');

    const first = renderWithRoster(sam, <OrganizationSwitcher defaultOpen />);
    const panel = await screen.findByRole('dialog', { name: 'Organizations' });
    await within(panel).findByText('Suggested for you');
    const ask = await within(panel).findByRole('button', { name: 'Request to join Suggesting Co' });
    ask.focus();
    fireEvent.click(ask);
    await within(panel).findByText('You asked to join Suggesting Co. An admin will approve or reject the request.');
    const requested = within(panel).getByText('Requested');
    await waitFor(() => expect(document.activeElement).toBe(requested));
    expect(within(panel).queryByRole('button', { name: 'Request to join Suggesting Co' })).toBeNull();
    first.unmount();

    // The list shows the asked suggestion as Requested; Kim asks from <OrganizationList/>.
    const second = renderWithRoster(kim, <OrganizationList />);
    const suggestions = await screen.findByTestId('list-suggestions');
    fireEvent.click(within(suggestions).getByRole('button', { name: 'Request to join Suggesting Co' }));
    await within(suggestions).findByText('Requested');
    second.unmount();

    // The admin's switcher counts both requests; the Requests tab too.
    renderWithRoster(admin.client, <OrganizationSwitcher />);
    const trigger = await screen.findByRole('button', { name: /Suggesting Co/ });
    await waitFor(() => expect(trigger.textContent).toContain('2 requests to join'));
    cleanup();

    renderWithRoster(admin.client, <OrganizationProfile defaultTab="requests" />);
    const tab = await screen.findByRole('tab', { name: /Requests/ });
    await waitFor(() => expect(tab.textContent).toContain('2 pending requests'));
    const list = await screen.findByTestId('request-list');
    expect([...list.querySelectorAll('li')].map((li) => li.dataset.email).sort()).toEqual(
      [`kim@${name}`, `sam@${name}`].sort(),
    );

    const kimRow = list.querySelector(`li[data-email="kim@${name}"]`) as HTMLElement;
    const samRow = list.querySelector(`li[data-email="sam@${name}"]`) as HTMLElement;
    const reject = within(kimRow).getByRole('button', { name: 'Reject Kim Someone' });
    fireEvent.click(reject);
    const dialog = within(kimRow).getByRole('alertdialog');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(reject);
    fireEvent.click(reject);
    fireEvent.click(within(within(kimRow).getByRole('alertdialog')).getByRole('button', { name: 'Reject' }));
    await screen.findByText('Rejected the request of Kim Someone.');
    await waitFor(() => expect(tab.textContent).toContain('1 pending request'));

    fireEvent.click(within(samRow).getByRole('button', { name: 'Approve Sam Someone' }));
    await screen.findByText('Sam Someone is now a member of Suggesting Co.');
    await screen.findByText('No requests to join.');
    await waitFor(() => expect(document.activeElement?.tagName).toBe('H3'));
    expect(tab.textContent).not.toMatch(/pending request/);

    const members = await live.bapi('GET', `/v1/organizations/${admin.organization.id}/memberships?limit=10`);
    expect(
      (members.body.data as { public_user_data: { identifier: string }; role: string }[])
        .map((m) => `${m.public_user_data.identifier} ${m.role}`)
        .sort(),
    ).toEqual([`${admin.email} org:admin`, `sam@${name} org:member`].sort());
  });
});

/** Records every request made through `fetch` from now on (method, path and status), until `stop()`. */
function recordRequests() {
  const original = globalThis.fetch;
  const seen: string[] = [];
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push(`${init?.method ?? 'GET'} ${url.pathname} ${res.status}`);
    return res;
  };
  onTestFinished(() => {
    globalThis.fetch = original;
  });
  return seen;
}

function Lists() {
  const { domains, membershipRequests } = useOrganization({ domains: true, membershipRequests: true });
  const { userSuggestions } = useOrganizationList({ userSuggestions: true });
  const show = (list: { isLoading: boolean; count: number }) => (list.isLoading ? 'loading' : String(list.count));
  return (
    <p data-testid="lists">
      domains {show(domains)}:{' '}
      {domains.data.map((d) => `${d.name} ${d.verified ? 'verified' : 'unverified'}`).join(',')}; requests{' '}
      {show(membershipRequests)}; suggestions {show(userSuggestions)}
    </p>
  );
}

describe('useOrganization({ domains, membershipRequests }) and useOrganizationList({ userSuggestions })', () => {
  it("an admin's lists reload after a change made through the client; a member asks for neither domains nor requests", async () => {
    const admin = await live.admin('Hooks Co');
    renderWithRoster(admin.client, <Lists />);
    const lists = await screen.findByTestId('lists');
    await waitFor(() => expect(lists.textContent).toBe('domains 0: ; requests 0; suggestions 0'));
    const name = domainName();
    await admin.organization.createDomain(name);
    await waitFor(() => expect(lists.textContent).toBe(`domains 1: ${name} unverified; requests 0; suggestions 0`));
    cleanup();

    const member = await live.signedIn();
    await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
      user_id: member.userId,
      role: 'org:member',
    });
    await member.client.setActive({ organization: admin.organization.id });
    const seen = recordRequests();
    renderWithRoster(member.client, <Lists />);
    // org:member may read members (so requests are listed) but not domains: those are never asked for.
    await waitFor(() => expect(screen.getByTestId('lists').textContent).toBe('domains 0: ; requests 0; suggestions 0'));
    expect(seen.some((r) => r.includes('/domains'))).toBe(false);
    expect(seen.filter((r) => / [45]\d\d$/.test(r))).toEqual([]);
  });
});
