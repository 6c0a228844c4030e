import { RosterProvider } from '@roster/nextjs';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: 'Roster × Next.js',
  description: 'Organizations and invitations with Roster',
};

// Rendered per request: RosterProvider reads ROSTER_URL at run time, so one build serves any Roster.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <RosterProvider>
          <AppHeader />
          <main>{children}</main>
        </RosterProvider>
      </body>
    </html>
  );
}
