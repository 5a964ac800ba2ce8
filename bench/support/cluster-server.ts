/**
 * The reference server as `npm run serve` runs it (one process, or
 * `--workers N`: server/cluster.ts), seeded with the bench fixture; prints
 * `listening on URL`. For bench:cluster's throughput runs.
 */
import { serve } from '../../server/cluster.js';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import { benchFixture } from './fixtures.js';

const config = loadConfig();
await serve(config, {
  start: (options) => startServer(config, { fixture: benchFixture(Number(process.env.BENCH_TRAININGS ?? 2000)), ...options }),
}).catch((error) => {
  console.error('cannot start:', error);
  process.exit(1);
});
