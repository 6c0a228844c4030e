import type { SecretBox } from '../domain/deps.js';
import { AppError } from '../domain/errors.js';
import { type MailTransport, smtpTransport } from './transports.js';

/**
 * The SMTP server an operator sets in the console (decision 043), over the one `SMTP_URL` and
 * `ROSTER_MAIL_FROM` gave at start: a wrong password or host is fixed without a restart, and every
 * instance picks the change up within `cacheMs`. The stored URL is sealed (it carries the password)
 * and the password is never shown again.
 */

/** The stored row: the SMTP URL sealed, the From address, who set them and when. */
export interface MailSettingsRow {
  sealedSmtpUrl: string;
  from: string | null;
  updatedAt: number;
  updatedBy: string;
}

export interface MailSettingsStore {
  find(): Promise<MailSettingsRow | null>;
  put(row: MailSettingsRow): Promise<void>;
  remove(): Promise<void>;
}

/** How the connection is secured: STARTTLS when the server offers it, STARTTLS or fail, or TLS from the first byte. */
export const SMTP_SECURITY = ['starttls_if_offered', 'starttls', 'tls'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** What the console's form sends. An empty password keeps the stored one (for the same host and user). */
export interface SmtpInput {
  host: string;
  port: string;
  security: string;
  username: string;
  password: string;
  from: string;
}

/** What the console shows: never the password, only whether there is one. */
export interface MailSettingsView {
  /** `console`: set here; `environment`: SMTP_URL; `dev_mailbox`: neither (development). */
  source: 'console' | 'environment' | 'dev_mailbox';
  host: string;
  port: number | null;
  security: SmtpSecurity;
  username: string;
  hasPassword: boolean;
  from: string;
  updatedAt: number | null;
  updatedBy: string | null;
  /** True when a stored setting exists but cannot be opened (sealed under a secret key since retired). */
  unreadable: boolean;
}

/** The server in use right now: `smtpUrl` null means the start-up transport (SMTP_URL or the dev mailbox). */
interface Current {
  smtpUrl: string | null;
  from: string | null;
  row: MailSettingsRow | null;
  unreadable: boolean;
}

export interface MailSettings {
  view(): Promise<MailSettingsView>;
  /** Validates and stores a new server; refused input changes nothing. */
  save(input: SmtpInput, actor: string): Promise<void>;
  /** Goes back to what the environment set. */
  reset(): Promise<void>;
  /** The transport the dispatcher sends through: the stored server when there is one, else `fallback`. */
  transport: MailTransport;
  /** Sends one message to `to` through the server in use now, outside the outbox; resolves with the error text when it fails. */
  sendTest(to: string): Promise<string | null>;
}

export interface MailSettingsOptions {
  store: MailSettingsStore;
  /** A box of its own (HKDF info `roster-mail-settings-v1`): an outbox value cannot be passed off as a setting. */
  secrets: SecretBox;
  /** SMTP_URL, when set. */
  envSmtpUrl: string | null;
  /** ROSTER_MAIL_FROM. */
  envFrom: string;
  /** What sends when nothing is stored: smtpTransport(SMTP_URL) or the dev mailbox. */
  fallback: MailTransport;
  /** How long a read is trusted before the row is read again (other instances' changes). Default 2 s. */
  cacheMs?: number;
  now?: () => number;
  /** Builds the SMTP transport for a URL (tests may count them). Default `smtpTransport`. */
  smtp?: (url: string) => MailTransport;
}

const invalid = (param: string, message: string) =>
  new AppError('form_param_format_invalid', { meta: { param_name: param }, message });

function securityOf(url: URL): SmtpSecurity {
  if (url.protocol === 'smtps:') return 'tls';
  return url.searchParams.get('requireTLS') === 'true' ? 'starttls' : 'starttls_if_offered';
}

/** Host, port and user of an SMTP URL, for display (the password is dropped). */
function describeUrl(
  smtpUrl: string | null,
): Pick<MailSettingsView, 'host' | 'port' | 'security' | 'username' | 'hasPassword'> {
  if (!smtpUrl) return { host: '', port: null, security: 'starttls_if_offered', username: '', hasPassword: false };
  const url = new URL(smtpUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    security: securityOf(url),
    username: decodeURIComponent(url.username),
    hasPassword: url.password !== '',
  };
}

/** A From header: `Name <addr@host>` or `addr@host`, one line. */
function validFrom(value: string): boolean {
  if (value.length > 320 || /[\r\n]/.test(value)) return false;
  const address = /<([^<>\s]+)>\s*$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address.trim());
}

/** Builds the SMTP URL from the form, keeping `previous`'s password when none is typed for the same host and user. */
export function smtpUrlOf(input: SmtpInput, previous: string | null): string {
  const host = input.host.trim();
  if (!host) throw new AppError('form_param_missing', { meta: { param_name: 'host' } });
  if (host.length > 253 || !/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(host))
    throw invalid('host', 'is not a host name or IP address');
  const port = Number(input.port.trim());
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw invalid('port', 'must be a whole number from 1 to 65535');
  if (!(SMTP_SECURITY as readonly string[]).includes(input.security))
    throw invalid('security', 'is not one of the choices');
  const security = input.security as SmtpSecurity;
  const username = input.username.trim();
  if (username.length > 320 || /[\r\n]/.test(username)) throw invalid('username', 'is too long or has line breaks');
  if (input.password.length > 1024) throw invalid('password', 'is too long');
  let password = input.password;
  if (!password && previous) {
    const before = new URL(previous);
    if (
      describeUrl(previous).host === host.replace(/^\[|\]$/g, '') &&
      decodeURIComponent(before.username) === username
    ) {
      password = decodeURIComponent(before.password);
    }
  }
  if (password && !username) throw invalid('username', 'is needed with a password');
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const auth = username ? `${encodeURIComponent(username)}${password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  const scheme = security === 'tls' ? 'smtps' : 'smtp';
  const query = security === 'starttls' ? '?requireTLS=true' : '';
  return `${scheme}://${auth}${bracketed}:${port}${query}`;
}

/**
 * Creates the settings with their transport.
 *
 * @example
 * const mail = createMailSettings({ store, secrets, envSmtpUrl: config.smtpUrl, envFrom: config.mailFrom, fallback });
 * createDispatcher({ transport: mail.transport, ... });
 */
export function createMailSettings(options: MailSettingsOptions): MailSettings {
  const { store, secrets, envSmtpUrl, envFrom, fallback } = options;
  const cacheMs = options.cacheMs ?? 2_000;
  const now = options.now ?? Date.now;
  const smtp = options.smtp ?? ((url: string) => smtpTransport(url));
  let cached: { at: number; value: Promise<Current> } | null = null;
  // The transport of the stored URL, kept while the URL stays the same. A replaced one is not
  // closed here: its pool closes itself a second after its last send, so a send in flight ends.
  let active: { url: string; transport: MailTransport } | null = null;

  async function read(): Promise<Current> {
    const row = await store.find();
    if (!row) return { smtpUrl: null, from: null, row: null, unreadable: false };
    try {
      return { smtpUrl: secrets.open(row.sealedSmtpUrl), from: row.from, row, unreadable: false };
    } catch {
      // Sealed under a secret key that has since been retired: the start-up transport sends until
      // an operator enters the server again (the console says so).
      return { smtpUrl: null, from: null, row, unreadable: true };
    }
  }

  function current(): Promise<Current> {
    if (!cached || now() - cached.at >= cacheMs) {
      const value = read();
      cached = { at: now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = null;
      });
    }
    return cached.value;
  }

  function transportFor(smtpUrl: string | null): MailTransport {
    if (!smtpUrl) return fallback;
    if (active?.url !== smtpUrl) active = { url: smtpUrl, transport: smtp(smtpUrl) };
    return active.transport;
  }

  const transport: MailTransport = {
    async send(mail) {
      const { smtpUrl, from } = await current();
      await transportFor(smtpUrl).send(from ? { ...mail, from } : mail);
    },
    close() {
      active?.transport.close?.();
      active = null;
      fallback.close?.();
    },
  };

  return {
    transport,
    async view() {
      const c = await current();
      const source = c.smtpUrl ? 'console' : envSmtpUrl ? 'environment' : 'dev_mailbox';
      return {
        source,
        ...describeUrl(c.smtpUrl ?? envSmtpUrl),
        from: c.from ?? envFrom,
        updatedAt: c.row?.updatedAt ?? null,
        updatedBy: c.row?.updatedBy ?? null,
        unreadable: c.unreadable,
      };
    },
    async save(input, actor) {
      const c = await current();
      const smtpUrl = smtpUrlOf(input, c.smtpUrl ?? envSmtpUrl);
      const from = input.from.trim();
      if (from && !validFrom(from)) throw invalid('from', 'is not an email address or "Name <address>"');
      await store.put({ sealedSmtpUrl: secrets.seal(smtpUrl), from: from || null, updatedAt: now(), updatedBy: actor });
      cached = null;
    },
    async reset() {
      await store.remove();
      cached = null;
    },
    async sendTest(to) {
      const address = to.trim();
      if (!validFrom(address) || address.includes('<')) throw invalid('to', 'is not an email address');
      const { smtpUrl, from } = await current();
      const stamp = new Date(now()).toISOString();
      try {
        await transportFor(smtpUrl).send({
          from: from ?? envFrom,
          to: address,
          subject: 'Roster test email',
          text: `This message was sent from the Roster console at ${stamp} to check the mail settings.\n`,
          html: `<p>This message was sent from the Roster console at ${stamp} to check the mail settings.</p>`,
          messageId: `<test-${now()}-${Math.random().toString(36).slice(2)}@roster>`,
        });
        return null;
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return text.replace(/\s+/g, ' ').slice(0, 300);
      }
    },
  };
}
