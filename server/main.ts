import { serve } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_PASSWORD, DEMO_USERS } from './db/demo-data.js';
import { FixtureError } from './db/fixture.js';
import { guardProcess, startServer } from './server.js';

/** host:port/database of a PostgreSQL URL: what the log may show (never its user or password). */
function postgresPlace(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}

/** `npm run serve`: the reference server with settings from the environment and flags (`--workers N`: N processes). */
async function main() {
  guardProcess();
  const config = loadConfig();
  const where = config.databaseUrl ? `the PostgreSQL database at ${postgresPlace(config.databaseUrl)}` : config.db;
  await serve(config, {
    start: (options) => startServer(config, { serveDemo: true, ...options }),
    announce(running) {
      if (running.seeded && !config.fixture) {
        console.log(`seeded ${where} with demo data; sign in with password "${DEMO_PASSWORD}" as:`);
        for (const u of DEMO_USERS)
          console.log(`  ${u.email.padEnd(24)} ${u.orgs.map((org) => `${org} (${u.roles[org] ?? 'member'})`).join(' + ')}`);
      } else if (running.seeded) {
        console.log(`seeded ${where} from ${config.fixture}`);
      }
      if (running.resumed) console.log(`resuming ${running.resumed} export(s) interrupted by the last stop`);
    },
  });
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof FixtureError) {
    console.error(`cannot start: ${error.message}`);
  } else {
    console.error('cannot start:', error);
  }
  process.exit(1);
});
