import { SignUp } from '@roster/nextjs';

export default function SignUpPage() {
  return (
    <div className="narrow">
      <SignUp afterSignUpUrl="/organizations/new" signInUrl="/sign-in" />
    </div>
  );
}
