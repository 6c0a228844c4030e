import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { MailKind } from '../domain/records.js';
import type { RenderedMail } from './templates/layout.js';
import type { MailLanguage } from './templates/words.js';

/**
 * The operator's own mail templates (decision 045): Handlebars files in `ROSTER_EMAIL_TEMPLATES_DIR`,
 * as Clerk's templates are, replacing the built-in subject, text and HTML of a kind of mail, for
 * every language or for one. They are checked once at start, so a typo stops the server with the
 * file named instead of failing mail at 3 a.m.:
 *
 * - `<kind>.subject.hbs`, `<kind>.txt.hbs`, `<kind>.html.hbs` (all three, or none), optionally
 *   `<kind>.<language>.…` for one language (`en`, `fr`), which wins over the generic set;
 * - only the documented variables of the kind (strict mode), and never unescaped output
 *   (`{{{…}}}`, `{{&…}}`): names come from users, and HTML-escaping is what keeps them text;
 * - the link (`{{url}}`) or the code (`{{code}}`) in both bodies, or the mail is useless.
 */

export const TEMPLATE_KINDS = [
  'organization_invitation',
  'app_invitation',
  'verification_code',
  'password_reset_code',
  'primary_email_address_changed',
  'domain_affiliation_code',
  'organization_membership_request',
] as const satisfies readonly MailKind[];

const LANGUAGES: readonly MailLanguage[] = ['en', 'fr'];
const PARTS = ['subject', 'txt', 'html'] as const;
type Part = (typeof PARTS)[number];

/** Each kind's variables, as the README documents them. Dates come formatted in the mail's language. */
export const TEMPLATE_VARIABLES: Record<MailKind, Record<string, string>> = {
  organization_invitation: {
    organizationName: 'The organization’s name',
    inviterName: 'Who invited, or empty when the Backend API did',
    roleName: 'The role’s display name',
    url: 'The accept link (the only way in: it must appear in both bodies)',
    expiresAt: 'When the link expires, formatted in the mail’s language',
    expiresAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  app_invitation: {
    siteName: 'The public URL’s host',
    url: 'The accept link (must appear in both bodies)',
    expiresAt: 'When the link expires, formatted',
    expiresAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  verification_code: {
    code: 'The six-digit code (must appear in both bodies)',
    addingEmailAddress: 'True when the code adds an address to an account, false for a sign-up',
    expiresAt: 'When the code expires, formatted',
    expiresAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  password_reset_code: {
    code: 'The six-digit code (must appear in both bodies)',
    expiresAt: 'When the code expires, formatted',
    expiresAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  primary_email_address_changed: {
    siteName: 'The public URL’s host',
    changedAt: 'When the primary address changed, formatted',
    changedAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  domain_affiliation_code: {
    code: 'The six-digit code (must appear in both bodies)',
    organizationName: 'The organization claiming the domain',
    domainName: 'The domain being verified (`acme.com`)',
    expiresAt: 'When the code expires, formatted',
    expiresAtIso: 'The same moment in ISO 8601',
    language: '`en` or `fr`',
  },
  organization_membership_request: {
    organizationName: 'The organization’s name',
    requesterName: 'Who asked to join (their address when they gave no name)',
    requesterEmail: 'Their primary address',
    language: '`en` or `fr`',
  },
};

/** The secret variable each kind's bodies must show (a notice has none). */
const SECRET: Record<MailKind, 'url' | 'code' | null> = {
  organization_invitation: 'url',
  app_invitation: 'url',
  verification_code: 'code',
  password_reset_code: 'code',
  primary_email_address_changed: null,
  domain_affiliation_code: 'code',
  organization_membership_request: null,
};

/** Sample values: checked at start with them, and shown by the preview page. */
export const SAMPLE_VARIABLES: Record<MailKind, Record<string, string | boolean>> = {
  organization_invitation: {
    organizationName: 'Acme <Inc>',
    inviterName: 'Ada Lovelace',
    roleName: 'Member',
    url: 'https://app.example.com/accept-invitation?ticket=sample',
    expiresAt: 'December 31, 2026 at 21:32 UTC',
    expiresAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  app_invitation: {
    siteName: 'app.example.com',
    url: 'https://app.example.com/accept-invitation?ticket=sample',
    expiresAt: 'December 31, 2026 at 21:32 UTC',
    expiresAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  verification_code: {
    code: '042137',
    addingEmailAddress: false,
    expiresAt: 'December 31, 2026 at 21:32 UTC',
    expiresAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  password_reset_code: {
    code: '042137',
    expiresAt: 'December 31, 2026 at 21:32 UTC',
    expiresAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  primary_email_address_changed: {
    siteName: 'app.example.com',
    changedAt: 'December 31, 2026 at 21:32 UTC',
    changedAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  domain_affiliation_code: {
    code: '042137',
    organizationName: 'Acme <Inc>',
    domainName: 'acme.com',
    expiresAt: 'December 31, 2026 at 21:32 UTC',
    expiresAtIso: '2026-12-31T21:32:00.000Z',
    language: 'en',
  },
  organization_membership_request: {
    organizationName: 'Acme <Inc>',
    requesterName: 'Grace Hopper',
    requesterEmail: 'grace@acme.example',
    language: 'en',
  },
};

/** A start-up refusal naming the file and what is wrong with it. */
export class MailTemplateError extends Error {
  override readonly name = 'MailTemplateError';
}

type Compiled = Record<Part, Handlebars.TemplateDelegate>;

export interface CustomTemplates {
  /** The operator's mail for `kind` in `language`, or null where the built-in one is used. */
  render(kind: MailKind, language: MailLanguage, variables: Record<string, string | boolean>): RenderedMail | null;
  /** Which kinds and languages have a template of the operator's (for the preview page). */
  overridden(kind: MailKind, language: MailLanguage): boolean;
}

const FILE = /^([a-z_]+)(?:\.([a-z]{2}))?\.(subject|txt|html)\.hbs$/;

function compile(dir: string, file: string, kind: MailKind, part: Part): Handlebars.TemplateDelegate {
  const source = readFileSync(join(dir, file), 'utf8');
  if (/\{\{\{|\{\{~?\s*&/.test(source)) {
    throw new MailTemplateError(
      `${file}: unescaped output ({{{…}}} or {{&…}}) is not allowed: names come from users, and escaping keeps them text`,
    );
  }
  let template: Handlebars.TemplateDelegate;
  try {
    template = Handlebars.compile(source, { strict: true, noEscape: part !== 'html', knownHelpersOnly: true });
    template(SAMPLE_VARIABLES[kind]);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const known = Object.keys(TEMPLATE_VARIABLES[kind]).join(', ');
    throw new MailTemplateError(`${file}: ${message} (the variables of ${kind} are ${known})`);
  }
  return template;
}

function renderSet(set: Compiled, variables: Record<string, string | boolean>): RenderedMail {
  const subject = set.subject(variables).replace(/\s+/g, ' ').trim();
  return { subject, text: set.txt(variables), html: set.html(variables) };
}

/**
 * Reads and checks the templates in `dir`; throws `MailTemplateError` naming the file on the first problem.
 *
 * @example
 * const templates = config.emailTemplatesDir ? loadMailTemplates(config.emailTemplatesDir) : null;
 */
export function loadMailTemplates(dir: string): CustomTemplates {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
  } catch (error) {
    throw new MailTemplateError(
      `ROSTER_EMAIL_TEMPLATES_DIR: cannot read ${dir} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const sets = new Map<string, Partial<Compiled>>();
  for (const file of files) {
    const match = FILE.exec(file);
    const kind = match?.[1] as MailKind | undefined;
    const language = match?.[2];
    if (!match || !kind || !(TEMPLATE_KINDS as readonly string[]).includes(kind)) {
      throw new MailTemplateError(
        `${file}: not a template name; use <kind>[.<language>].<subject|txt|html>.hbs with kind one of ${TEMPLATE_KINDS.join(', ')}`,
      );
    }
    if (language && !(LANGUAGES as readonly string[]).includes(language)) {
      throw new MailTemplateError(`${file}: language "${language}" is not one of ${LANGUAGES.join(', ')}`);
    }
    const key = `${kind}.${language ?? '*'}`;
    const set = sets.get(key) ?? {};
    set[match[3] as Part] = compile(dir, file, kind, match[3] as Part);
    sets.set(key, set);
  }
  const complete = new Map<string, Compiled>();
  for (const [key, set] of sets) {
    const [kind, language] = key.split('.') as [MailKind, string];
    const prefix = language === '*' ? kind : `${kind}.${language}`;
    const missing = PARTS.filter((p) => !set[p]);
    if (missing.length > 0) {
      throw new MailTemplateError(
        `${prefix}: ${missing.map((p) => `${prefix}.${p}.hbs`).join(' and ')} missing (a kind's subject, text and HTML are replaced together)`,
      );
    }
    const compiled = set as Compiled;
    const sample = SAMPLE_VARIABLES[kind];
    const secretName = SECRET[kind];
    const rendered = renderSet(compiled, sample);
    if (!rendered.subject) throw new MailTemplateError(`${prefix}.subject.hbs: the subject is empty`);
    const secret = secretName ? String(sample[secretName]) : '';
    for (const [part, body, shown] of [
      ['txt', rendered.text, secret],
      ['html', rendered.html, Handlebars.escapeExpression(secret)],
    ] as const) {
      if (!body.includes(shown)) {
        throw new MailTemplateError(`${prefix}.${part}.hbs: must show {{${secretName}}}, or the mail cannot be used`);
      }
    }
    complete.set(key, compiled);
  }
  const find = (kind: MailKind, language: MailLanguage) =>
    complete.get(`${kind}.${language}`) ?? complete.get(`${kind}.*`) ?? null;
  return {
    render(kind, language, variables) {
      const set = find(kind, language);
      return set ? renderSet(set, variables) : null;
    },
    overridden: (kind, language) => find(kind, language) !== null,
  };
}
