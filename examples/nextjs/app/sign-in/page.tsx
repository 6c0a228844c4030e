import { SignIn } from '@roster/nextjs';

export default function SignInPage() {
  return (
    <div className="narrow">
      {/* The card below shows its own title; this names the page for screen readers and outlines. */}
      <h1 className="visually-hidden">Sign in</h1>
      <SignIn afterSignInUrl="/organization" signUpUrl="/sign-up" />
    </div>
  );
}
