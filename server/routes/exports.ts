import { Hono } from 'hono';
import { z } from 'zod';
import { asciiFileName } from '../../components/internal/deck-file-name.js';
import type { ServerConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { ApiError, StreamErrorCode } from '../errors.js';
import { allowanceSpentMessage, formatDuration, type ExportService } from '../exports/service.js';
import { respondWithEventStream, sseEvent, type EventChannel } from '../exports/event-stream.js';
import type { ExportOutcome, ExportWatcher } from '../exports/watcher.js';
import type { HeaderPolicy } from '../security-headers.js';
import { storedText, uuidSchema, validate } from '../validation.js';

const cacheKeySchema = storedText(200);
// An empty cacheKey means "none", like an omitted one.
const optionalCacheKey = cacheKeySchema.optional().transform((k) => k || null);

// The watcher hands every stream of a key the same outcome object: its event is
// encoded once, not once per stream (5,000 streams may end in one loop).
const encodedOutcomes = new WeakMap<ExportOutcome, Uint8Array>();
function outcomeEvent(outcome: ExportOutcome): Uint8Array {
  let bytes = encodedOutcomes.get(outcome);
  if (!bytes) encodedOutcomes.set(outcome, (bytes = Buffer.from(outcomeText(outcome))));
  return bytes;
}

function outcomeText(outcome: ExportOutcome): string {
  switch (outcome.status) {
    case 'completed':
      return sseEvent('completed', { url: outcome.url, costCents: outcome.costCents, model: outcome.model });
    case 'failed':
      return sseEvent('error', { message: outcome.message, code: outcome.code });
    case 'restarting':
      // Not the export's end: the code tells clients to reconnect, to the next instance.
      return sseEvent('error', {
        message: 'The server is restarting; the export goes on. Reconnect in a moment.',
        code: StreamErrorCode.server_restarting,
      });
  }
}

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
  policy: HeaderPolicy,
) {
  const lessonNotFound = () => new ApiError('not_found', 'No such lesson in the active organization.');
  // Built once: every stream that times out sends the same event.
  const timedOut = sseEvent('error', {
    message: `The export timed out: no result after ${formatDuration(config.sseTimeoutMs)}.`,
    code: StreamErrorCode.timed_out,
  });

  /**
   * One open stream: `: connected` at once, `:hb` every heartbeat period, then
   * the export's outcome or the timeout, then the end. Everything it holds (two
   * timers, its place in the shared poll) is released the moment it finishes
   * or the client goes away, whichever comes first.
   */
  function follow(channel: EventChannel, lessonId: string, cacheKey: string | null) {
    counter.open++;
    let finished = false;
    let unsubscribe = () => {};
    // Everything below runs from timers, the shared poll and socket events: a
    // throw there would be uncaught and end the process, so a broken connection
    // is logged once and released like one the client closed.
    const broken = (what: string, error: unknown) =>
      console.error(
        `export stream (lesson ${lessonId}, cache key ${cacheKey}): ${what} failed:`,
        error instanceof Error ? error.message : error,
      );
    const finish = (last?: string | Uint8Array, quiet = false) => {
      if (finished) return;
      finished = true;
      clearInterval(heartbeat);
      clearTimeout(timeout);
      unsubscribe();
      counter.open--;
      try {
        channel.end(last);
      } catch (error) {
        if (!quiet) broken('ending the stream', error);
      }
    };
    channel.write(': connected\n\n');
    const heartbeat = setInterval(() => {
      try {
        channel.write(':hb\n\n');
      } catch (error) {
        broken('the heartbeat', error);
        finish(undefined, true);
      }
    }, config.sseHeartbeatMs);
    const timeout = setTimeout(() => finish(timedOut), config.sseTimeoutMs);
    channel.onClose(() => finish());
    unsubscribe = watcher.subscribe(lessonId, cacheKey, (outcome) =>
      // At a graceful shutdown every connection is closed right after this: a
      // string makes Node write the event and the end of the body at once,
      // where the shared bytes would leave the end for the next turn (see
      // endAfter in event-stream.ts), by which time the socket is gone.
      finish(outcome.status === 'restarting' ? outcomeText(outcome) : outcomeEvent(outcome)),
    );
  }

  return new Hono<AppEnv>()
    .post('/', validate('json', z.object({ lessonId: uuidSchema, cacheKey: cacheKeySchema.nullish() })), async (c) => {
      const { lessonId, cacheKey } = c.req.valid('json');
      const result = await exports.dispatch(c.get('organizationId'), lessonId.toLowerCase(), cacheKey || null);
      if (!result) throw lessonNotFound();
      if ('refused' in result) throw new ApiError('quota_exceeded', allowanceSpentMessage(result.refused));
      return c.json({ job: result.job }, result.cached ? 200 : 202);
    })
    .get('/files/:file', async (c) => {
      const match = /^([0-9a-f-]{36})\.pptx$/.exec(c.req.param('file'));
      const file = match && (await exports.file(c.get('organizationId'), match[1]!));
      if (!file) throw new ApiError('not_found', 'No such export file.');
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
      c.header(
        'Content-Disposition',
        `attachment; filename="${asciiFileName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      );
      c.header('Cache-Control', 'private, max-age=3600, immutable');
      return c.body(new Uint8Array(file.bytes));
    })
    .get('/stream', validate('query', z.object({ lessonId: uuidSchema, cacheKey: optionalCacheKey })), async (c) => {
      const { lessonId, cacheKey } = c.req.valid('query');
      const id = lessonId.toLowerCase();
      if (!(await exports.lesson(c.get('organizationId'), id))) throw lessonNotFound();

      return respondWithEventStream(c, policy, (channel) => follow(channel, id, cacheKey));
    });
}
