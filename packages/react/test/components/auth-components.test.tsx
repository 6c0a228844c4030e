// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://app.test/sign-in"}
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { codeIn } from '../../../server/test/support/smtp.js';
import { SignIn, SignUp, useAuth } from '../../src/index.js';
import { liveServerForFile, PASSWORD, uniqueEmail } from '../support.js';
import { renderWithRoster } from './support.js';

const live = liveServerForFile({ clock: 'test' });
afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/sign-in');
});

function Who() {
  const { isLoaded, userId } = useAuth();
  return <p data-testid="who">{isLoaded ? (userId ?? 'signed out') : 'loading'}</p>;
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('<SignIn/>', () => {
  it('says what was wrong, keeps the address, then signs in and goes on', async () => {
    const email = uniqueEmail('signin');
    const created = await live.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD });
    const { navigations } = renderWithRoster(
      live.client(),
      <>
        <SignIn afterSignInUrl="/dashboard" signUpUrl="/sign-up" />
        <Who />
      </>,
    );
    await screen.findByText('signed out');
    expect(screen.getByRole('link', { name: 'Create one' }).getAttribute('href')).toBe('/sign-up');

    type('Email address', email);
    type('Password', 'not the password');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/password/i);
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe(email);
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Password'));

    type('Password', PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(navigations).toEqual(['/dashboard']));
    await screen.findByText(created.body.id);
  });

  it('sends a signed-in visitor on to a local redirect_url at once, and never to another site', async () => {
    const { client } = await live.signedIn();
    window.history.replaceState(null, '', '/sign-in?redirect_url=%2Fprojects%3Ftab%3D2');
    const first = renderWithRoster(client, <SignIn />);
    await waitFor(() => expect(first.navigations).toEqual(['/projects?tab=2']));
    cleanup();

    window.history.replaceState(null, '', '/sign-in?redirect_url=https%3A%2F%2Fevil.example%2F');
    const second = renderWithRoster(client, <SignIn afterSignInUrl="/home" />);
    await waitFor(() => expect(second.navigations).toEqual(['/home']));
    expect(screen.getByRole('heading', { name: 'You are signed in' })).toBeTruthy();
  });
});

describe('<SignUp/>', () => {
  it('asks for details, then the emailed code (focused), and signs the new user in', async () => {
    const email = uniqueEmail('signup');
    const { navigations } = renderWithRoster(
      live.client(),
      <>
        <SignUp afterSignUpUrl="/welcome" signInUrl="/sign-in" />
        <Who />
      </>,
    );
    await screen.findByText('signed out');
    type('Email address', email);
    type('First name', 'Grace');
    type('Password', PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));

    await screen.findByRole('heading', { name: 'Check your email' });
    const codeInput = screen.getByLabelText('Verification code');
    expect(document.activeElement).toBe(codeInput);
    const code = codeIn({ text: (await live.waitForMail(email)).text } as never);

    type('Verification code', code === '000000' ? '111111' : '000000');
    fireEvent.click(screen.getByRole('button', { name: 'Verify and create account' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/code/i);

    type('Verification code', code);
    fireEvent.click(screen.getByRole('button', { name: 'Verify and create account' }));
    await waitFor(() => expect(navigations).toEqual(['/welcome']));
    await waitFor(() => expect(screen.getByTestId('who').textContent).toMatch(/^user_/));
  });

  it('shows the server’s reason when the details are refused', async () => {
    renderWithRoster(live.client(), <SignUp />);
    type('Email address', uniqueEmail('short'));
    type('Password', 'short');
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toMatch(/8|characters|password/i);
    expect(screen.getByRole('heading', { name: 'Create your account' })).toBeTruthy();
  });
});
