import { newCode, normalizeEmail, sameSecret, sha256 } from '../crypto.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { recordEvents } from '../events/events.js';
import { queuedMail } from '../mail.js';
import { type Actor, requirePermission } from '../memberships/policy.js';
import { getOrganization } from '../organizations/organizations.js';
import { UniqueViolation } from '../store.js';
import { domainEvent, getOrganizationDomain, MANAGE_DOMAINS, requireDomainsAllowed } from './domains.js';
import { domainOfEmail, enrollDomain } from './enrollment.js';
import type { OrganizationDomain } from './store.js';

/**
 * Proving affiliation with a domain (Clerk's `prepareAffiliationVerification` and
 * `attemptAffiliationVerification`): a six-digit code mailed to an address on the domain, stored
 * only as a hash, valid as long as a sign-up code (`signUpCodeTtlMs`) and for five tries shared by
 * parallel guesses (one conditional update spends each). The right code verifies the domain; one
 * verified domain of a name per instance is the database's rule, so a second organization's proof
 * is `organization_domain_already_exists`.
 */

const MAX_CODE_ATTEMPTS = 5;

const codeHashOf = (domainId: string, code: string) => sha256(`${domainId}:affiliation:${code.trim()}`);

async function managedDomain(deps: Deps, actor: Actor, ids: { orgId: string; domainId: string }) {
  const org = await getOrganization(deps.store, ids.orgId);
  await requirePermission(deps.store, actor, org.id, MANAGE_DOMAINS);
  await requireDomainsAllowed(deps, actor);
  const domain = await getOrganizationDomain(deps.store, org.id, ids.domainId);
  if (domain.verified)
    throw new AppError('organization_domain_already_verified', { meta: { param_name: 'domain_id' } });
  return { org, domain };
}

/**
 * Mails a fresh code to `affiliationEmailAddress`, which must be on the domain
 * (`organization_domain_email_mismatch`). `throttle` is called with the address (normalized)
 * before anything is written: the caller's per-address mail limit, which throws to refuse.
 * A new code replaces the last one and gives back the five tries.
 */
export async function prepareAffiliationVerification(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
  input: { affiliationEmailAddress: string; locale?: string | null; throttle?: (addressKey: string) => Promise<void> },
): Promise<OrganizationDomain> {
  const { org, domain } = await managedDomain(deps, actor, ids);
  const email = input.affiliationEmailAddress.trim();
  if (domainOfEmail(email) !== domain.name)
    throw new AppError('organization_domain_email_mismatch', {
      meta: { param_name: 'affiliation_email_address', domain: domain.name },
    });
  await input.throttle?.(normalizeEmail(email));
  const now = deps.now();
  const code = newCode();
  const patch = {
    affiliationEmailAddress: email,
    verificationCodeHash: codeHashOf(domain.id, code),
    verificationAttempts: 0,
    verificationExpiresAt: now + deps.settings.signUpCodeTtlMs,
    updatedAt: now,
  } satisfies Partial<OrganizationDomain>;
  const updated = { ...domain, ...patch };
  await deps.store.transaction(async (tx) => {
    await tx.orgDomains().updateOrganizationDomain(domain.id, patch);
    await tx.enqueueMail(
      queuedMail(
        {
          kind: 'domain_affiliation_code',
          toAddress: email,
          payload: {
            code: deps.secrets.seal(code),
            expiresAt: patch.verificationExpiresAt,
            organizationName: org.name,
            domainName: domain.name,
            ...(input.locale && { locale: input.locale }),
          },
          invitationId: null,
        },
        now,
      ),
    );
    await recordEvents(deps.events, tx, [domainEvent('organizationDomain.updated', updated)]);
  });
  deps.mailQueued();
  return updated;
}

/**
 * Checks the mailed code. Right: the domain is verified (its affiliation address the one the code
 * went to) and the code is spent. Wrong: `form_code_incorrect` with the tries left; none left or
 * expired: `verification_expired`; never prepared: `verification_not_found`.
 */
export async function attemptAffiliationVerification(
  deps: Deps,
  actor: Actor,
  ids: { orgId: string; domainId: string },
  code: string,
): Promise<OrganizationDomain> {
  const { domain } = await managedDomain(deps, actor, ids);
  if (!domain.verificationCodeHash) throw new AppError('verification_not_found', { meta: { param_name: 'code' } });
  const now = deps.now();
  const taken = await deps.store
    .orgDomains()
    .takeAffiliationAttempt(domain.id, { now, maxAttempts: MAX_CODE_ATTEMPTS });
  if (!taken?.verificationCodeHash) throw new AppError('verification_expired', { meta: { param_name: 'code' } });
  if (!sameSecret(codeHashOf(taken.id, code), taken.verificationCodeHash)) {
    throw new AppError('form_code_incorrect', {
      meta: { param_name: 'code', attempts_remaining: MAX_CODE_ATTEMPTS - taken.verificationAttempts },
    });
  }
  const patch = { verified: true, verificationCodeHash: null, updatedAt: now } satisfies Partial<OrganizationDomain>;
  const verified = { ...taken, ...patch };
  try {
    await deps.store.transaction(async (tx) => {
      await tx.orgDomains().updateOrganizationDomain(domain.id, patch);
      await recordEvents(deps.events, tx, [domainEvent('organizationDomain.updated', verified)]);
    });
  } catch (error) {
    if (error instanceof UniqueViolation)
      throw new AppError('organization_domain_already_exists', { meta: { param_name: 'name' } });
    throw error;
  }
  // Who already holds a verified address on it is enrolled now, as its mode says.
  await enrollDomain(deps, verified);
  return verified;
}
