// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/"}
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Protect, Show, useAuth } from '../../src/index.js';
import { liveServerForFile } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
});

let n = 0;
const key = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++n}`;

/** A member of a new organization holding a custom role `org:billing_…` that grants `org:invoices_…:create`. */
async function billingMember() {
  const admin = await live.admin('Billing Co');
  const permissionKey = `org:${key('invoices')}:create`;
  const permission = await live.bapi('POST', '/v1/organization_permissions', {
    name: 'Create invoices',
    key: permissionKey,
    description: 'Bill customers',
  });
  expect(permission.status).toBe(200);
  const roleKey = `org:${key('billing')}`;
  const role = await live.bapi('POST', '/v1/organization_roles', {
    name: 'Billing',
    key: roleKey,
    permissions: [permission.body.id],
  });
  expect(role.status).toBe(200);
  const member = await live.signedIn();
  const joined = await live.bapi('POST', `/v1/organizations/${admin.organization.id}/memberships`, {
    user_id: member.userId,
    role: roleKey,
  });
  expect(joined.status).toBe(200);
  await member.client.setActive({ organization: admin.organization.id });
  return { member, admin, roleKey, permissionKey };
}

function Checks({ role, permission }: { role: string; permission: string }) {
  const { isLoaded, has } = useAuth();
  if (!isLoaded) return null;
  return <p data-testid="has">{`${has({ role })} ${has({ permission })} ${has({ role: 'org:admin' })}`}</p>;
}

describe('<Protect> and <Show> over a custom role', () => {
  it('shows what the role’s permission allows, the fallback for the rest, and has() agrees', async () => {
    const { member, roleKey, permissionKey } = await billingMember();
    renderWithRoster(
      member.client,
      <>
        <Protect permission={permissionKey} fallback={<p>no invoices</p>}>
          <p>invoice form</p>
        </Protect>
        <Protect role="org:admin" fallback={<p>not an admin</p>}>
          <p>admin settings</p>
        </Protect>
        <Protect role={roleKey}>
          <p>billing desk</p>
        </Protect>
        <Protect condition={(has) => has({ permission: 'org:sys_memberships:manage' }) || has({ role: roleKey })}>
          <p>either</p>
        </Protect>
        <Show when={{ permission: permissionKey }} fallback={<p>show fallback</p>}>
          <p>shown by permission</p>
        </Show>
        <Show when="signed-out" fallback={<p>you are signed in</p>}>
          <p>sign in please</p>
        </Show>
        <Checks role={roleKey} permission={permissionKey} />
      </>,
    );
    expect(await screen.findByText('invoice form')).toBeTruthy();
    expect(screen.getByText('not an admin')).toBeTruthy();
    expect(screen.getByText('billing desk')).toBeTruthy();
    expect(screen.getByText('either')).toBeTruthy();
    expect(screen.getByText('shown by permission')).toBeTruthy();
    expect(screen.getByText('you are signed in')).toBeTruthy();
    expect(screen.queryByText('admin settings')).toBeNull();
    expect(screen.queryByText('no invoices')).toBeNull();
    expect(screen.queryByText('sign in please')).toBeNull();
    expect(screen.getByTestId('has').textContent).toBe('true true false');
  });

  it('signed out: only fallbacks and <Show when="signed-out">', async () => {
    renderWithRoster(
      live.client(),
      <>
        <Protect fallback={<p>please sign in</p>}>
          <p>members area</p>
        </Protect>
        <Show when="signed-out">
          <p>sign in form</p>
        </Show>
        <Show when={(has) => has({ role: 'org:member' })} fallback={<p>no org</p>}>
          <p>org stuff</p>
        </Show>
      </>,
    );
    expect(await screen.findByText('please sign in')).toBeTruthy();
    expect(screen.getByText('sign in form')).toBeTruthy();
    expect(screen.getByText('no org')).toBeTruthy();
    expect(screen.queryByText('members area')).toBeNull();
    expect(screen.queryByText('org stuff')).toBeNull();
  });
});
