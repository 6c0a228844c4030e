import { BrandError } from './brand.js';
import { type Config, ConfigError, isLoopbackHost, loadConfig, resolveSecretKey } from './config.js';
import { MailTemplateError } from './email/custom-templates.js';
import { secretKeyId } from './secret-keys.js';
import { createRoster, type Roster } from './server.js';

/** How long a shutdown may take (in-flight requests, the mail being sent) before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Prints why start-up failed, naming the variable to fix, and exits non-zero. */
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The database URL without its password, for messages. */
function safeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.protocol === 'file:' ? url : u.toString();
  } catch {
    return url;
  }
}

async function start(config: Config, secretKey: string): Promise<{ roster: Roster; url: string }> {
  let roster: Roster;
  try {
    roster = await createRoster({ ...config, secretKey });
  } catch (error) {
    if (error instanceof MailTemplateError)
      refuse(`Invalid configuration:\n  ROSTER_EMAIL_TEMPLATES_DIR: ${error.message}`);
    if (error instanceof BrandError) refuse(`Invalid configuration:\n  ${error.message}`);
    refuse(
      `Could not open or migrate the database (DATABASE_URL=${safeDatabaseUrl(config.databaseUrl)}): ${(error as Error).message}`,
    );
  }
  try {
    return { roster, url: await roster.listen() };
  } catch (error) {
    await roster.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    refuse(
      code === 'EADDRINUSE'
        ? `Invalid configuration:\n  PORT: ${config.port} is already in use on ${config.host}; choose another PORT`
        : code === 'EACCES'
          ? `Invalid configuration:\n  PORT: not allowed to listen on ${config.port} (ports below 1024 need privileges)`
          : `Could not listen on ${config.host}:${config.port} (PORT, HOST): ${(error as Error).message}`,
    );
  }
}

/** `npm start`: read the environment, open the database (migrating it), serve HTTP, send mail. */
async function main() {
  let config: Config;
  let secretKey: string;
  let generated: boolean;
  try {
    config = loadConfig(process.env);
    let previousSecretKeys: Config['previousSecretKeys'];
    ({ secretKey, generated, previousSecretKeys } = resolveSecretKey(config));
    config = { ...config, previousSecretKeys };
  } catch (error) {
    if (error instanceof ConfigError) refuse(error.message);
    throw error;
  }
  const { roster, url } = await start(config, secretKey);
  roster.log.info(
    { url, database: roster.database.dialect, mail: config.smtpUrl ? 'smtp' : 'dev mailbox' },
    'Roster is listening',
  );
  if (config.env !== 'production') {
    // Development convenience: the key is printed so curl examples work; production never prints it.
    console.log(`\n  Roster is running at ${url}`);
    console.log(`  Backend API secret key${generated ? ' (generated, kept in the data folder)' : ''}: ${secretKey}`);
    for (const k of config.previousSecretKeys) {
      const until =
        k.expiresAt === null
          ? 'until removed from ROSTER_PREVIOUS_SECRET_KEYS'
          : `until ${new Date(k.expiresAt).toISOString()}`;
      console.log(`  Previous secret key ${secretKeyId(k.key)} still accepted ${until}`);
    }
    if (!config.smtpUrl) console.log(`  Dev mailbox: ${config.publicUrl}/dev/mailbox`);
    if (!config.smtpUrl && !isLoopbackHost(config.host)) {
      console.warn(
        `  Warning: HOST=${config.host} lets other machines reach the dev mailbox, which shows every link and code.`,
      );
    }
    console.log(`  API reference: ${config.publicUrl}/docs\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    roster.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      roster.log.error({ timeout_ms: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await roster.close();
    } catch (error) {
      roster.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    roster.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
