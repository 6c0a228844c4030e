import { CreateOrganization } from '@roster/nextjs';

export default function NewOrganizationPage() {
  return (
    <div className="narrow">
      {/* The card below shows its own title; this names the page for screen readers and outlines. */}
      <h1 className="visually-hidden">Create an organization</h1>
      <CreateOrganization afterCreateOrganizationUrl="/organization" />
    </div>
  );
}
