import type { SecretBox } from '../domain/deps.js';
import type { MailKind, OutboxMessage } from '../domain/records.js';
import { formatDateTime } from '../i18n/dates.js';
import type { CustomTemplates } from './custom-templates.js';
import { renderAppInvitation } from './templates/app-invitation.js';
import { renderDomainAffiliationCode } from './templates/domain-affiliation-code.js';
import { type MailBrand, type RenderedMail, requireHttpUrl, singleLine } from './templates/layout.js';
import { renderMembershipRequest } from './templates/membership-request.js';
import { renderOrganizationInvitation } from './templates/organization-invitation.js';
import { renderPasswordResetCode } from './templates/password-reset-code.js';
import { renderPrimaryEmailChanged } from './templates/primary-email-changed.js';
import { renderVerificationCode } from './templates/verification-code.js';
import { mailLanguage } from './templates/words.js';

/**
 * From an outbox row to a rendered email: checks the payload's shape, opens its sealed fields
 * and picks the template by kind. Anything wrong here will be just as wrong on the next attempt,
 * so it is a `PermanentMailError`, whose message is safe to store as `last_error`.
 */

/** A failure that retrying cannot fix (bad payload, unknown kind, secret sealed under another key). */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';
}

/** The payload fields of each kind that hold sealed secrets. */
export const SEALED_FIELDS: Record<MailKind, readonly string[]> = {
  organization_invitation: ['url'],
  app_invitation: ['url'],
  verification_code: ['code'],
  password_reset_code: ['code'],
  primary_email_address_changed: [],
  domain_affiliation_code: ['code'],
  organization_membership_request: [],
};

type Payload = Record<string, unknown>;

function text(payload: Payload, field: string): string {
  const value = payload[field];
  if (typeof value !== 'string') throw new PermanentMailError(`payload field "${field}" is missing or not a string`);
  return value;
}

function textOrNull(payload: Payload, field: string): string | null {
  const value = payload[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new PermanentMailError(`payload field "${field}" is not a string`);
  return value;
}

function time(payload: Payload, field: string): number {
  const value = payload[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PermanentMailError(`payload field "${field}" is missing or not a timestamp`);
  }
  return value;
}

function isKnownKind(kind: string): kind is MailKind {
  return Object.hasOwn(SEALED_FIELDS, kind);
}

/** A rendered message, plus the opened secrets so callers can keep them out of errors and logs. */
export interface RenderedOutboxMessage {
  mail: RenderedMail;
  secrets: string[];
}

/** Opens the sealed fields of `message` and renders it; throws `PermanentMailError` when it cannot. */
export interface RenderOptions {
  /** The instance's language (`ROSTER_LOCALE`), when the message names none. */
  locale?: string | undefined;
  /** The operator's templates (decision 045). */
  templates?: CustomTemplates | null | undefined;
  /** The instance's name, logo and colour (decision 050). */
  brand?: MailBrand | undefined;
}

export function renderOutboxMessage(
  message: OutboxMessage,
  box: SecretBox,
  options: RenderOptions = {},
): RenderedOutboxMessage {
  const { templates, brand } = options;
  let { locale } = options;
  const kind: string = message.kind;
  if (!isKnownKind(kind)) throw new PermanentMailError(`unknown mail kind "${kind.slice(0, 64)}"`);
  const opened: Record<string, string> = {};
  for (const field of SEALED_FIELDS[kind]) {
    const sealed = text(message.payload, field);
    try {
      opened[field] = box.open(sealed);
    } catch {
      throw new PermanentMailError(
        `cannot open the sealed "${field}": the secret key changed or the value was altered; the message cannot be sent`,
      );
    }
  }
  const secrets = Object.values(opened);
  const p = message.payload;
  // The recipient's language when the message names one (the account's, or the sign-up's), else
  // the instance's: decision 039.
  const recipientLocale = typeof p.locale === 'string' && p.locale ? p.locale : undefined;
  locale = recipientLocale ?? locale;
  try {
    const custom = templates ? renderCustom(templates, kind, p, opened, locale) : null;
    if (custom) return { mail: custom, secrets };
    if (kind === 'organization_invitation') {
      const mail = renderOrganizationInvitation({
        organizationName: text(p, 'organizationName'),
        organizationImageUrl: textOrNull(p, 'organizationImageUrl'),
        inviterName: textOrNull(p, 'inviterName'),
        roleName: text(p, 'roleName'),
        expiresAt: time(p, 'expiresAt'),
        url: opened.url ?? '',
        ...(locale && { locale }),
        ...(brand && { brand }),
      });
      return { mail, secrets };
    }
    if (kind === 'app_invitation') {
      const mail = renderAppInvitation({
        siteName: text(p, 'siteName'),
        expiresAt: time(p, 'expiresAt'),
        url: opened.url ?? '',
        ...(locale && { locale }),
        ...(brand && { brand }),
      });
      return { mail, secrets };
    }
    if (kind === 'primary_email_address_changed') {
      return {
        mail: renderPrimaryEmailChanged({
          siteName: text(p, 'siteName'),
          changedAt: time(p, 'changedAt'),
          ...(locale && { locale }),
          ...(brand && { brand }),
        }),
        secrets,
      };
    }
    if (kind === 'domain_affiliation_code') {
      const mail = renderDomainAffiliationCode({
        code: opened.code ?? '',
        expiresAt: time(p, 'expiresAt'),
        organizationName: text(p, 'organizationName'),
        domainName: text(p, 'domainName'),
        ...(locale && { locale }),
        ...(brand && { brand }),
      });
      return { mail, secrets };
    }
    if (kind === 'organization_membership_request') {
      return {
        mail: renderMembershipRequest({
          organizationName: text(p, 'organizationName'),
          requesterName: text(p, 'requesterName'),
          requesterEmail: text(p, 'requesterEmail'),
          ...(locale && { locale }),
          ...(brand && { brand }),
        }),
        secrets,
      };
    }
    if (kind === 'password_reset_code') {
      const mail = renderPasswordResetCode({
        code: opened.code ?? '',
        expiresAt: time(p, 'expiresAt'),
        ...(locale && { locale }),
        ...(brand && { brand }),
      });
      return { mail, secrets };
    }
    const purpose = p.purpose === 'add_email_address' ? ('add_email_address' as const) : ('sign_up' as const);
    return {
      mail: renderVerificationCode({
        code: opened.code ?? '',
        expiresAt: time(p, 'expiresAt'),
        purpose,
        ...(locale && { locale }),
        ...(brand && { brand }),
      }),
      secrets,
    };
  } catch (error) {
    if (error instanceof PermanentMailError) throw error;
    // Template checks (link scheme, date) fail the same way every time; their messages hold no secrets.
    throw new PermanentMailError(`cannot render ${kind}: ${error instanceof Error ? error.message : 'invalid data'}`);
  }
}

/** The operator's template for the message, when there is one (decision 045): the kind's variables from its payload. */
function renderCustom(
  templates: CustomTemplates,
  kind: MailKind,
  p: Payload,
  opened: Record<string, string>,
  locale: string | undefined,
): RenderedMail | null {
  const language = mailLanguage(locale);
  const format = (ms: number) => formatDateTime(ms, { locale: language === 'en' ? null : (locale ?? null) });
  if (kind === 'primary_email_address_changed') {
    const changedAt = time(p, 'changedAt');
    return templates.render(kind, language, {
      siteName: singleLine(text(p, 'siteName'), 120),
      changedAt: format(changedAt),
      changedAtIso: new Date(changedAt).toISOString(),
      language,
    });
  }
  if (kind === 'organization_membership_request') {
    return templates.render(kind, language, {
      organizationName: singleLine(text(p, 'organizationName')),
      requesterName: singleLine(text(p, 'requesterName')),
      requesterEmail: singleLine(text(p, 'requesterEmail'), 320),
      language,
    });
  }
  const expires = time(p, 'expiresAt');
  const common = { expiresAt: format(expires), expiresAtIso: new Date(expires).toISOString(), language };
  const variables: Record<string, string | boolean> =
    kind === 'organization_invitation'
      ? {
          organizationName: singleLine(text(p, 'organizationName')),
          inviterName: singleLine(textOrNull(p, 'inviterName') ?? ''),
          roleName: singleLine(text(p, 'roleName'), 60),
          url: requireHttpUrl(opened.url ?? ''),
          ...common,
        }
      : kind === 'app_invitation'
        ? { siteName: singleLine(text(p, 'siteName'), 120), url: requireHttpUrl(opened.url ?? ''), ...common }
        : kind === 'verification_code'
          ? { code: opened.code ?? '', addingEmailAddress: p.purpose === 'add_email_address', ...common }
          : kind === 'domain_affiliation_code'
            ? {
                code: opened.code ?? '',
                organizationName: singleLine(text(p, 'organizationName')),
                domainName: singleLine(text(p, 'domainName'), 253),
                ...common,
              }
            : { code: opened.code ?? '', ...common };
  return templates.render(kind, language, variables);
}

/** The payload to keep once a message is finished: its sealed secrets removed, everything else as it was. */
export function payloadWithoutSecrets(message: OutboxMessage): Record<string, unknown> {
  const kind: string = message.kind;
  const fields: readonly string[] = isKnownKind(kind) ? SEALED_FIELDS[kind] : [];
  return Object.fromEntries(Object.entries(message.payload).filter(([key]) => !fields.includes(key)));
}
