import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { registerAuthRoutes } from './auth.js';
import { registerFrontendInvitationRoutes } from './invitations.js';
import { registerMeRoutes } from './me.js';
import { registerFrontendMembershipRequestRoutes } from './membership-requests.js';
import { registerMySessionRoutes } from './my-sessions.js';
import { registerFrontendOrgDomainRoutes } from './org-domains.js';
import { registerFrontendOrganizationRoutes } from './organizations.js';
import { registerTicketRoutes } from './tickets.js';

export interface FrontendOptions {
  ip: (c: Context<AppEnv>) => string;
  /** Where a joined user goes when the invitation has no `redirect_url`. */
  afterAcceptUrl: string;
}

/** The Frontend API (`/fapi/v1`), for browsers: session cookie, CORS for configured origins, CSRF-checked writes. */
export function registerFrontendRoutes(app: OpenAPIHono<AppEnv>, options: FrontendOptions) {
  registerAuthRoutes(app, options);
  registerMeRoutes(app, options);
  registerMySessionRoutes(app);
  registerFrontendOrganizationRoutes(app);
  registerFrontendOrgDomainRoutes(app, options);
  registerFrontendInvitationRoutes(app);
  registerFrontendMembershipRequestRoutes(app);
  registerTicketRoutes(app, options);
}
