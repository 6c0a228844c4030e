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
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Password')));

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

describe('<SignIn/> forgot password', () => {
  const RESET_SUBJECT = 'password reset code';
  const form = (button: string) => screen.getByRole('button', { name: button }).closest('form')!;

  it('resets in place: address (prefilled), emailed code, new password; ends signed in, new password works, old fails', async () => {
    const email = uniqueEmail('reset');
    const created = await live.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD });
    const { navigations } = renderWithRoster(
      live.client(),
      <>
        <SignIn afterSignInUrl="/dashboard" />
        <Who />
      </>,
    );
    await screen.findByText('signed out');
    type('Email address', email);
    fireEvent.click(screen.getByRole('button', { name: 'Forgot password?' }));

    await screen.findByRole('heading', { name: 'Reset your password' });
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe(email);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email address')));
    fireEvent.submit(form('Send code')); // Enter in the field

    await screen.findByRole('heading', { name: 'Check your email' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Verification code')));
    const code = codeIn({ text: (await live.waitForMail(email, RESET_SUBJECT)).text } as never);
    type('Verification code', code);
    fireEvent.submit(form('Continue'));

    await screen.findByRole('heading', { name: 'Choose a new password' });
    const newPassword = screen.getByLabelText('New password') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(newPassword));
    expect(newPassword.getAttribute('autocomplete')).toBe('new-password');
    // A common password is refused with the table's message, and the step stays.
    type('New password', 'password1234');
    fireEvent.submit(form('Set password and sign in'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This password appears in lists of common or leaked passwords; choose another.',
    );
    expect(screen.getByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    expect(newPassword.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(newPassword));

    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect(newPassword.type).toBe('text');
    expect(screen.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed')).toBe('true');
    type('New password', 'a brand new passphrase');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await waitFor(() => expect(navigations).toEqual(['/dashboard']));
    await screen.findByText(created.body.id);
    expect(screen.queryByRole('heading', { name: 'You are signed in' })).toBeNull();

    await live.client().signIn.create({ identifier: email, password: 'a brand new passphrase' });
    await expect(live.client().signIn.create({ identifier: email, password: PASSWORD })).rejects.toMatchObject({
      errors: [{ code: 'form_password_incorrect' }],
    });
  });

  it('a wrong code says so and keeps the code step; a new code can be asked for, and Back returns to the address', async () => {
    const email = uniqueEmail('wrongcode');
    await live.bapi('POST', '/v1/users', { email_address: [email], password: PASSWORD });
    renderWithRoster(live.client(), <SignIn />);
    fireEvent.click(screen.getByRole('button', { name: 'Forgot password?' }));
    await screen.findByRole('heading', { name: 'Reset your password' });
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe('');
    type('Email address', email);
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    await screen.findByRole('heading', { name: 'Check your email' });
    const code = codeIn({ text: (await live.waitForMail(email, RESET_SUBJECT)).text } as never);

    type('Verification code', code === '000000' ? '111111' : '000000');
    fireEvent.submit(form('Continue'));
    expect((await screen.findByRole('alert')).textContent).toBe('The verification code is incorrect.');
    expect(screen.getByRole('heading', { name: 'Check your email' })).toBeTruthy();
    const codeInput = screen.getByLabelText('Verification code') as HTMLInputElement;
    expect(codeInput.value).toBe('');
    expect(codeInput.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(codeInput));

    fireEvent.click(screen.getByRole('button', { name: 'Send a new one' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(`A new code is on its way to ${email}.`));
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await screen.findByRole('heading', { name: 'Reset your password' });
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe(email);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email address')));
    fireEvent.click(screen.getByRole('button', { name: 'Back to sign in' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe(email);
  });

  it('with forgotPasswordUrl, "Forgot password?" is a link there that carries the typed address', async () => {
    renderWithRoster(live.client(), <SignIn forgotPasswordUrl="https://roster.example/account/forgot-password" />);
    const link = screen.getByRole('link', { name: 'Forgot password?' });
    expect(link.getAttribute('href')).toBe('https://roster.example/account/forgot-password');
    type('Email address', 'ada+x@example.com');
    expect(screen.getByRole('link', { name: 'Forgot password?' }).getAttribute('href')).toBe(
      'https://roster.example/account/forgot-password?email_address=ada%2Bx%40example.com',
    );
    expect(screen.queryByRole('button', { name: 'Forgot password?' })).toBeNull();
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
    // Focus moves in an effect after the step renders: wait for it rather than race it.
    await waitFor(() => expect(document.activeElement).toBe(codeInput));
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
