import { SignIn } from '@roster/nextjs';

export default function SignInPage() {
  return (
    <div className="narrow">
      <SignIn afterSignInUrl="/organization" signUpUrl="/sign-up" />
    </div>
  );
}
