import { SignUp } from '@roster/nextjs';

export default function SignUpPage() {
  return (
    <div className="narrow">
      {/* The card below shows its own title; this names the page for screen readers and outlines. */}
      <h1 className="visually-hidden">Sign up</h1>
      <SignUp afterSignUpUrl="/organizations/new" signInUrl="/sign-in" />
    </div>
  );
}
