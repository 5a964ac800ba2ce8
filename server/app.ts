import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { logger } from 'hono/logger';
import { AnswerCache } from './answer-cache.js';
import { requireOrganization } from './auth/middleware.js';
import { SessionStore } from './auth/sessions.js';
import { SignInLimiter } from './auth/sign-in-limiter.js';
import type { ServerConfig } from './config.js';
import type { Db } from './db/database.js';
import { dataVersion } from './db/data-version.js';
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

export interface AppOptions {
  db: Db;
  config: ServerConfig;
  /** Replaces the PPTX renderer (tests use it to make a generation fail). */
  renderDeck?: DeckRenderer;
  /** Serve the demo page and the built bundle (`npm start`); off in API-only tests. */
  serveDemo?: boolean;
  /** The sessions' and the answer cache's clock, ms since the epoch: tests move it forward rather than wait. */
  now?: () => number;
}

/** Builds the reference server: the Hono app plus the services it runs. */
export async function createApp({ db, config, renderDeck, serveDemo = false, now = Date.now }: AppOptions) {
  const version = dataVersion(db);
  const sessions = new SessionStore(db, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }, version, now);
  const watcher = new ExportWatcher(db, config.ssePollMs);
  const exports = new ExportService(db, watcher, config.exportConcurrency, renderDeck);
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
  const answers = new AnswerCache(version, policy, { now, recheckMs: sessions.refreshMs });
  const gzip = compress();
  // The picker answers bring their codings with them (answer-cache.ts); the stream is never compressed.
  const compressOthers: MiddlewareHandler = (c, next) =>
    c.req.path.startsWith('/api/workflow-pickers/') || c.req.path === '/api/exports/pptx/stream' ? next() : gzip(c, next);
  const api = new Hono<AppEnv>()
    .route('/auth', authRoutes(db, sessions, new SignInLimiter(config.signInMaxFailures), proxyTrust(config.trustProxy)))
    .use('*', requireOrganization(sessions))
    .route('/workflow-pickers', pickerRoutes(db, answers))
    .route('/enablement', lessonRoutes(db))
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

  return { app, exports, watcher, streams, sessions, answers, policy };
}

export type ReferenceServer = Awaited<ReturnType<typeof createApp>>;
