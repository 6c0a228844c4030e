import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../domain/memberships/policy.js';

/**
 * Who is asking and from where, for the request being handled: what events record about the
 * change a request makes. Work outside a request (the expiry sweeper) has none, and is `system`.
 */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** Read when an event is built: authentication runs after the context is set. */
  actor(): Actor | undefined;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
