import { OrganizationProfile } from '@roster/nextjs';

export default function OrganizationProfilePage() {
  return <OrganizationProfile />;
}
