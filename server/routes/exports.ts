import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { ServerConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import type { ExportService } from '../exports/service.js';
import type { ExportOutcome, ExportWatcher } from '../exports/watcher.js';
import { uuidSchema, validate } from '../validation.js';

const cacheKeySchema = z.string().max(200, 'must be at most 200 characters');
// An empty cacheKey means "none", like an omitted one.
const optionalCacheKey = cacheKeySchema.optional().transform((k) => k || null);

const formatDuration = (ms: number) =>
  ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;

/** Counts the streams that are open right now (reported by /healthz). */
export class StreamCounter {
  open = 0;
}

/** `/api/exports/pptx`: dispatch, the progress stream, the generated files. */
export function exportRoutes(
  exports: ExportService,
  watcher: ExportWatcher,
  counter: StreamCounter,
  config: Pick<ServerConfig, 'sseHeartbeatMs' | 'sseTimeoutMs'>,
) {
  const lessonNotFound = () => new ApiError('not_found', 'No such lesson in the active organization.');

  return new Hono<AppEnv>()
    .post('/', validate('json', z.object({ lessonId: uuidSchema, cacheKey: cacheKeySchema.nullish() })), (c) => {
      const { lessonId, cacheKey } = c.req.valid('json');
      const result = exports.dispatch(c.get('organizationId'), lessonId.toLowerCase(), cacheKey || null);
      if (!result) throw lessonNotFound();
      return c.json({ job: result.job }, result.cached ? 200 : 202);
    })
    .get('/files/:file', (c) => {
      const match = /^([0-9a-f-]{36})\.pptx$/.exec(c.req.param('file'));
      const file = match && exports.file(c.get('organizationId'), match[1]!);
      if (!file) throw new ApiError('not_found', 'No such export file.');
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
      c.header('Content-Disposition', `attachment; filename="${file.fileName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
      c.header('Cache-Control', 'private, max-age=3600, immutable');
      return c.body(new Uint8Array(file.bytes));
    })
    .get('/stream', validate('query', z.object({ lessonId: uuidSchema, cacheKey: optionalCacheKey })), (c) => {
      const { lessonId, cacheKey } = c.req.valid('query');
      const id = lessonId.toLowerCase();
      if (!exports.lesson(c.get('organizationId'), id)) throw lessonNotFound();

      c.header('X-Accel-Buffering', 'no');
      return streamSSE(
        c,
        async (stream) => {
          counter.open++;
          let heartbeat: NodeJS.Timeout | undefined;
          let timeout: NodeJS.Timeout | undefined;
          let unsubscribe = () => {};
          try {
            await stream.write(': connected\n\n');
            // Settles exactly once: on the outcome, the timeout, or the client going away.
            const outcome = await new Promise<ExportOutcome | 'timeout' | 'aborted'>((resolve) => {
              stream.onAbort(() => resolve('aborted'));
              unsubscribe = watcher.subscribe(id, cacheKey, resolve);
              heartbeat = setInterval(() => void stream.write(':hb\n\n').catch(() => {}), config.sseHeartbeatMs);
              timeout = setTimeout(() => resolve('timeout'), config.sseTimeoutMs);
            });
            clearInterval(heartbeat);
            clearTimeout(timeout);
            unsubscribe();
            if (outcome === 'aborted') return;
            if (outcome === 'timeout') {
              const message = `The export timed out: no result after ${formatDuration(config.sseTimeoutMs)}.`;
              await stream.writeSSE({ event: 'error', data: JSON.stringify({ message }) });
            } else if (outcome.status === 'restarting') {
              // Not the export's end: the code tells clients to reconnect, to the next instance.
              const message = 'The server is restarting; the export goes on. Reconnect in a moment.';
              await stream.writeSSE({ event: 'error', data: JSON.stringify({ message, code: 'server_restarting' }) });
            } else if (outcome.status === 'completed') {
              const { url, costCents, model } = outcome;
              await stream.writeSSE({ event: 'completed', data: JSON.stringify({ url, costCents, model }) });
            } else {
              await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: outcome.message }) });
            }
          } finally {
            clearInterval(heartbeat);
            clearTimeout(timeout);
            unsubscribe();
            counter.open--;
          }
        },
        async (error, stream) => {
          console.error('export stream failed:', error);
          await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: 'The server could not follow this export.' }) });
        },
      );
    });
}
