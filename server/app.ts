import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { logger } from 'hono/logger';
import { AnswerCache } from './answer-cache.js';
import { requireOrganization } from './auth/middleware.js';
import { SessionStore } from './auth/sessions.js';
import { SignInLimiter } from './auth/sign-in-limiter.js';
import type { ServerConfig } from './config.js';
import type { AppEnv } from './env.js';
import { demoPageSecurity } from './demo-page.js';
import { ApiError, onError, onNotFound } from './errors.js';
import { ExportService, type DeckRenderer } from './exports/service.js';
import { ExportWatcher } from './exports/watcher.js';
import { proxyTrust } from './proxy.js';
import { authRoutes } from './routes/auth.js';
import { demoRoutes } from './routes/demo.js';
import { exportRoutes, StreamCounter } from './routes/exports.js';
import { lessonRoutes } from './routes/lessons.js';
import { pickerRoutes } from './routes/pickers.js';
import { headerPolicy } from './security-headers.js';
import { staticFiles } from './static-files.js';
import type { Storage } from './storage/storage.js';

export interface AppOptions {
  /** SQLite or PostgreSQL (server/storage/open.ts); the app does not close it. */
  storage: Storage;
  config: ServerConfig;
  /** Replaces the PPTX renderer (tests use it to make a generation fail). */
  renderDeck?: DeckRenderer;
  /** Serve the demo page and the built bundle (`npm start`); off in API-only tests. */
  serveDemo?: boolean;
  /** The sessions' and the answer cache's clock, ms since the epoch: tests move it forward rather than wait. */
  now?: () => number;
}

/** Builds the reference server: the Hono app plus the services it runs. */
export async function createApp({ storage, config, renderDeck, serveDemo = false, now = Date.now }: AppOptions) {
  const sessions = new SessionStore(storage, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }, now);
  const watcher = new ExportWatcher(storage, config.ssePollMs);
  const exports = new ExportService(storage, watcher, {
    concurrency: config.exportConcurrency,
    render: renderDeck,
    databaseUrl: config.databaseUrl,
  });
  exports.configure({ allowanceCents: config.exportQuotaCents, deadlineMs: config.exportDeadlineMs });
  const streams = new StreamCounter();
  const policy = await headerPolicy({
    // The bundle, the deck files and the API may be loaded by host pages on other
    // origins; the demo page is for this origin only, with its own CSP (demo-page.ts).
    secure: { crossOriginResourcePolicy: 'cross-origin', crossOriginOpenerPolicy: 'same-origin' },
    pagePaths: serveDemo ? ['/', '/index.html'] : [],
    page: serveDemo ? demoPageSecurity() : {},
    corsOrigins: config.corsOrigins,
    openPrefixes: serveDemo ? ['/dist/'] : [],
  });
  const answers = new AnswerCache(storage.changes, policy, { now, recheckMs: sessions.refreshMs });
  const limiter = await SignInLimiter.create(storage, config.signInMaxFailures);
  const gzip = compress();
  // The picker answers bring their codings with them (answer-cache.ts); the stream is never compressed.
  const compressOthers: MiddlewareHandler = (c, next) =>
    c.req.path.startsWith('/api/workflow-pickers/') || c.req.path === '/api/exports/pptx/stream' ? next() : gzip(c, next);
  const api = new Hono<AppEnv>()
    .route('/auth', authRoutes(storage, sessions, limiter, proxyTrust(config.trustProxy)))
    .use('*', requireOrganization(sessions))
    .route('/workflow-pickers', pickerRoutes(storage, answers))
    .route('/enablement', lessonRoutes(storage))
    .route('/exports/pptx', exportRoutes(exports, watcher, streams, config, policy));
  if (config.demoControls) api.route('/demo', demoRoutes(exports));

  const app = new Hono<AppEnv>();
  if (config.logRequests) app.use('*', logger());
  app
    // Cached picker answers, CORS requests too, before anything else runs (answer-cache.ts).
    .use('/api/workflow-pickers/*', answers.middleware)
    // Security and CORS headers of every other response, and preflights (security-headers.ts).
    .use('*', policy.middleware)
    // The other JSON answers (lessons, auth, errors…), per request: their bodies are small,
    // and those under 1 KB (most of them) are left alone. Never the stream: see event-stream.ts.
    .use('/api/*', compressOthers)
    // Only where bodies are read: on @hono/node-server, bodyLimit touching a GET's
    // body turns the light request into a full WHATWG Request (measured: ~15% of a 304).
    .on(
      ['POST', 'PUT', 'PATCH', 'DELETE'],
      '/api/*',
      bodyLimit({
        maxSize: config.maxBodyBytes,
        onError: () => {
          throw new ApiError('payload_too_large', `The request body is larger than ${config.maxBodyBytes} bytes.`);
        },
      }),
    )
    .get('/healthz', (c) =>
      c.json({
        ok: true,
        // Which process answered: instances behind one port (--workers) are told apart by it.
        pid: process.pid,
        openStreams: streams.open,
        watchedExports: watcher.watchedKeys,
        pollChecks: watcher.stats.checks,
        cachedAnswers: answers.stats.served,
      }),
    )
    .route('/api', api)
    .all('/api/*', onNotFound);

  if (serveDemo) {
    app.use('/dist/*', staticFiles({ root: './' }));
    app.use('/*', staticFiles({ root: './demo' }));
  }
  app.notFound(onNotFound).onError(onError);

  /**
   * Stops the app's background work (the poll, the deadline sweep, the shared
   * queue, what it hears from the storage), letting running generations
   * finish for up to `graceMs`. The storage stays open: it is the caller's.
   */
  async function close(graceMs = 0): Promise<void> {
    watcher.close();
    answers.stopListening();
    await exports.stop(graceMs);
  }

  return { app, storage, exports, watcher, streams, sessions, answers, policy, close };
}

export type ReferenceServer = Awaited<ReturnType<typeof createApp>>;
