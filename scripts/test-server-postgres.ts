/**
 * `npm run test:server:postgres`: the server suite again, on PostgreSQL. One
 * throwaway server (test/support/postgres.ts) for every test file, each test
 * app in a database of its own on it (POS_TEST_ENGINE=postgres: see
 * test/server/support.ts). Files that run both engines themselves, or touch
 * no storage, ran in the SQLite pass and are left out here.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { startPostgres } from '../test/support/postgres.js';

const BOTH_ENGINES_ALREADY = ['storage-contract', 'postgres-harness', 'export-queue-postgres'];
const NO_STORAGE = ['distribution'];
const skipped = new Set([...BOTH_ENGINES_ALREADY, ...NO_STORAGE].map((name) => `${name}.test.ts`));
const files = readdirSync('test/server')
  .filter((f) => f.endsWith('.test.ts') && !skipped.has(f))
  .map((f) => `test/server/${f}`);

const server = await startPostgres();
const started = Date.now();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', ...(process.argv.length > 2 ? process.argv.slice(2) : ['--test-reporter=spec']), ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, POS_TEST_ENGINE: 'postgres', POS_TEST_POSTGRES_URL: server.url },
  },
);
const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await server.stop();
console.log(`test:server:postgres: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
