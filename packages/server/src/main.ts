import { ConfigError, loadConfig, resolveSecretKey } from './config.js';
import { createRoster } from './server.js';

/** `npm start`: read the environment, open the database (migrating it), serve HTTP, send mail. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { secretKey, generated } = resolveSecretKey(config);
  const roster = await createRoster({ ...config, secretKey });
  const url = await roster.listen();
  roster.log.info(
    { url, database: roster.database.dialect, mail: config.smtpUrl ? 'smtp' : 'dev mailbox' },
    'Roster is listening',
  );
  if (config.env !== 'production') {
    // Development convenience: the key is printed so curl examples work; production never prints it.
    console.log(`\n  Roster is running at ${url}`);
    console.log(`  Backend API secret key${generated ? ' (generated, kept in the data folder)' : ''}: ${secretKey}`);
    if (!config.smtpUrl) console.log(`  Dev mailbox: ${config.publicUrl}/dev/mailbox`);
    console.log(`  API reference: ${config.publicUrl}/docs\n`);
  }
  const shutdown = async (signal: string) => {
    roster.log.info({ signal }, 'shutting down');
    await roster.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
