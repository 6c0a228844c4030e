import { OrganizationList } from '@roster/nextjs';

/** Choose an account: `<OrganizationList/>` with the user's organizations, invitations and Create. */
export default function OrganizationsPage() {
  return (
    <div className="narrow">
      <h1 className="visually-hidden">Choose an account</h1>
      <OrganizationList afterSelectOrganizationUrl="/organization" afterCreateOrganizationUrl="/organization" />
    </div>
  );
}
