'use client';
import { OrganizationSwitcher, UserButton, useAuth } from '@roster/nextjs';
import Link from 'next/link';
import { useRouter } from 'next/navigation';

/** The app's header: navigation, the organization switcher, and who is signed in (`<UserButton/>`). */
export function AppHeader() {
  const { isLoaded, isSignedIn, signOut } = useAuth();
  const router = useRouter();
  return (
    <header className={isSignedIn ? 'app signed-in' : 'app'}>
      <Link href="/" className="brand">
        Roster × Next.js
      </Link>
      <nav aria-label="Main">
        {isSignedIn && (
          <>
            <Link href="/organization" prefetch={false}>
              Invite members
            </Link>
            <Link href="/organization/profile" prefetch={false}>
              Organization profile
            </Link>
            <Link href="/organization/seed" prefetch={false}>
              Seed component
            </Link>
          </>
        )}
      </nav>
      {isLoaded && isSignedIn && (
        <>
          <div className="switcher">
            <OrganizationSwitcher
              afterCreateOrganizationUrl="/organization"
              organizationProfileUrl="/organization/profile"
            />
          </div>
          <div className="user-button">
            <UserButton userProfileUrl="/user" afterSignOutUrl="/" />
          </div>
          <button
            type="button"
            className="sign-out"
            onClick={async () => {
              await signOut();
              router.push('/');
            }}
          >
            Sign out
          </button>
        </>
      )}
      {isLoaded && !isSignedIn && (
        <nav aria-label="Account" className="row">
          <Link href="/sign-in">Sign in</Link>
          <Link href="/sign-up">Sign up</Link>
        </nav>
      )}
    </header>
  );
}
