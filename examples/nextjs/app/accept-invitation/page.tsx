import { AcceptInvitation } from '@roster/nextjs';

/** The app's own accept page (invitation links from Roster's email go to Roster's hosted page by default). */
export default function AcceptInvitationPage() {
  return (
    <div className="narrow">
      {/* The card below shows its own title; this names the page for screen readers and outlines. */}
      <h1 className="visually-hidden">Accept an invitation</h1>
      <AcceptInvitation afterAcceptUrl="/organization" />
    </div>
  );
}
