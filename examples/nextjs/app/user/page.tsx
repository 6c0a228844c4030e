import { UserProfile } from '@roster/nextjs';

/** The signed-in user's own account: `<UserProfile/>`, reached from the header's `<UserButton/>`. */
export default function UserProfilePage() {
  return (
    <>
      <h1 className="page-title">Your account</h1>
      <UserProfile />
    </>
  );
}
