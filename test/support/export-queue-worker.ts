// An instance of the PostgreSQL export queue in a process of its own, whose
// generations never finish: the test kills it with kill -9 mid-export.
import { PostgresExportQueue } from '../../server/storage/export-queue-postgres.js';

const [url, abandonAfterSeconds] = process.argv.slice(2);
await PostgresExportQueue.start({
  url: url!,
  concurrency: 1,
  abandonAfterSeconds: Number(abandonAfterSeconds),
  superviseEverySeconds: 1,
  generate: async (id) => {
    console.log(`started ${id}`);
    await new Promise(() => {});
  },
});
console.log('ready');
