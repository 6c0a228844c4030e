import { OrganizationProfile } from '@roster/nextjs';

export default function OrganizationProfilePage() {
  return (
    <>
      <h1 className="page-title">Organization profile</h1>
      <OrganizationProfile afterLeaveOrganizationUrl="/" />
    </>
  );
}
