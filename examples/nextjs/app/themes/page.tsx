import { dark, OrganizationList, OrganizationProfile } from '@roster/nextjs';

/** The same components in the dark theme and in a brand of the app's own (`appearance`). */
export default function ThemesPage() {
  return (
    <>
      <h1 className="page-title">Themes</h1>
      <section className="theme-dark" aria-labelledby="theme-dark">
        <h2 id="theme-dark">Dark: appearance={'{{ baseTheme: dark }}'}</h2>
        <div className="stack">
          <OrganizationList appearance={{ baseTheme: dark }} afterSelectOrganizationUrl="/organization" />
          <OrganizationProfile appearance={{ baseTheme: dark }} afterLeaveOrganizationUrl="/" />
        </div>
      </section>
      <section className="theme-brand" aria-labelledby="theme-brand">
        <h2 id="theme-brand">A brand of your own: variables</h2>
        <OrganizationList
          afterSelectOrganizationUrl="/organization"
          appearance={{
            variables: {
              colorPrimary: '#0f766e',
              colorText: '#1c1917',
              colorTextSecondary: '#57534e',
              colorBackground: '#fffbeb',
              borderRadius: '2px',
              fontFamily: 'Georgia, "Times New Roman", serif',
              fontSize: '16px',
              spacingUnit: '14px',
            },
          }}
        />
      </section>
    </>
  );
}
