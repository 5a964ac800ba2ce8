import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { logger } from 'hono/logger';
import { AnswerReplay } from './answer-replay.js';
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
import { securityHeaders } from './security-headers.js';

export interface AppOptions {
  db: Db;
  config: ServerConfig;
  /** Replaces the PPTX renderer (tests use it to make a generation fail). */
  renderDeck?: DeckRenderer;
  /** Serve the demo page and the built bundle (`npm start`); off in API-only tests. */
  serveDemo?: boolean;
  /** The sessions' and the answer replay's clock, ms since the epoch: tests move it forward rather than wait. */
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
  const allowed = new Set(config.corsOrigins);
  // A replayed answer would skip the request log, so no replay while logging.
  const replay = config.logRequests ? undefined : new AnswerReplay(version, { now, recheckMs: sessions.refreshMs });
  const security = await securityHeaders({
    // The bundle, the deck files and the API may be loaded by host pages on other
    // origins. The demo page sets its own same-origin (demo-page.ts), which the
    // middleware leaves in place.
    crossOriginResourcePolicy: 'cross-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
  const corsForAllowed = cors({
    origin: (origin) => origin,
    credentials: true,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag'],
    maxAge: 600,
  });

  const api = new Hono<AppEnv>()
    .route('/auth', authRoutes(db, sessions, new SignInLimiter(config.signInMaxFailures), proxyTrust(config.trustProxy)))
    .use('*', requireOrganization(sessions))
    .route('/workflow-pickers', pickerRoutes(db, security, replay))
    .route('/enablement', lessonRoutes(db))
    .route('/exports/pptx', exportRoutes(exports, watcher, streams, config, security));
  if (config.demoControls) api.route('/demo', demoRoutes(exports));

  const app = new Hono<AppEnv>();
  if (config.logRequests) app.use('*', logger());
  app
    .use('*', security.middleware)
    // CORS only for listed origins: others get no Access-Control-* header at all,
    // and credentials never go with `*` (each allowed origin is echoed exactly).
    .use('/api/*', (c, next) => (allowed.has(c.req.header('origin') ?? '') ? corsForAllowed(c, next) : next()))
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
        replayedAnswers: replay?.stats.replayed ?? 0,
      }),
    )
    .route('/api', api)
    .all('/api/*', onNotFound);

  if (serveDemo) {
    app.use('/dist/*', serveStatic({ root: './' }));
    app.on('GET', ['/', '/index.html'], demoPageSecurity());
    app.use('/*', serveStatic({ root: './demo' }));
  }
  app.notFound(onNotFound).onError(onError);

  return { app, exports, watcher, streams, sessions, replay };
}

export type ReferenceServer = Awaited<ReturnType<typeof createApp>>;
