import { CreateOrganization } from '@roster/nextjs';

export default function NewOrganizationPage() {
  return (
    <div className="narrow">
      <CreateOrganization afterCreateOrganizationUrl="/organization" />
    </div>
  );
}
