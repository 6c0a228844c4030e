import { AcceptInvitation } from '@roster/nextjs';

/** The app's own accept page (invitation links from Roster's email go to Roster's hosted page by default). */
export default function AcceptInvitationPage() {
  return (
    <div className="narrow">
      <AcceptInvitation afterAcceptUrl="/organization" />
    </div>
  );
}
