'use client';
import {
  type Appearance,
  createRosterClient,
  type Localization,
  RosterProvider as ReactRosterProvider,
  useOrganization,
  useRoster,
} from '@roster/react';
import { useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { SessionCookieSync } from './session-cookie.js';

/**
 * The browser half of `<RosterProvider>`: a cookie-mode client for Roster, the hooks' provider,
 * and the `__session` cookie kept fresh for the app's server. When the cookie starts naming
 * another user, organization or role, server components are rendered again (`router.refresh()`).
 */
export function RosterClientProvider(props: {
  baseUrl: string;
  appearance?: Appearance | undefined;
  localization?: Localization | undefined;
  children?: ReactNode;
}): ReactNode {
  const { baseUrl, children } = props;
  const router = useRouter();
  const routerRef = useRef(router);
  routerRef.current = router;
  const client = useMemo(() => createRosterClient({ baseUrl }), [baseUrl]);
  const sync = useMemo(
    () => new SessionCookieSync(client, { onIdentityChange: () => routerRef.current.refresh() }),
    [client],
  );
  useEffect(() => {
    sync.start();
    return () => sync.stop();
  }, [sync]);
  // Navigation after sign-in or joining waits for the cookie, so the next page renders signed in.
  const navigate = useCallback(
    async (to: string) => {
      await sync.refresh();
      routerRef.current.push(to);
    },
    [sync],
  );
  return (
    <ReactRosterProvider
      client={client}
      navigate={navigate}
      appearance={props.appearance}
      localization={props.localization}
    >
      <AlignActiveOrganization sync={sync} />
      {children}
    </ReactRosterProvider>
  );
}

/**
 * Makes `auth()` on the server and `useAuth()` in the browser agree when the session token is
 * older than the active organization the hooks see. Since decision 027 a new session starts in
 * its organization on the server, so after a plain sign-in there is nothing left to align.
 */
function AlignActiveOrganization(props: { sync: SessionCookieSync }): null {
  const { sync } = props;
  const { organization } = useOrganization();
  const client = useRoster();
  const identity = useSyncExternalStore(sync.subscribe, sync.getIdentity, sync.getIdentity);
  const tried = useRef<string | null>(null);
  const orgId = organization?.id ?? null;
  useEffect(() => {
    if (!orgId || !identity || identity.orgId === orgId) return;
    const key = `${identity.sessionId}:${orgId}`;
    if (tried.current === key) return;
    tried.current = key;
    void client.setActive({ organization: orgId }).catch(() => undefined);
  }, [orgId, identity, client]);
  return null;
}
