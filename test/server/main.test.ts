import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freshDatabase } from '../support/postgres.js';
import { onPostgres } from './support.js';

// `npm run serve` as a user runs it: a child process, its output, real HTTP.
describe('npm run serve', () => {
  it('seeds a new database with demo data, prints the credentials and `listening on URL`, and serves the API and the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-main-'));
    // On PostgreSQL (POS_TEST_ENGINE=postgres) the same, with POS_DATABASE_URL.
    const where = onPostgres ? { POS_DATABASE_URL: await freshDatabase() } : { POS_DB: join(dir, 'demo.sqlite') };
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0'], { env: { ...process.env, ...where } });
    let stdout = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(stdout);
          if (match && match[2] !== '0') resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
      });
      assert.match(
        stdout,
        onPostgres
          ? /seeded the PostgreSQL database at 127\.0\.0\.1:\d+\/test_\w+ with demo data/
          : /seeded \S+demo\.sqlite with demo data/,
      );
      assert.match(stdout, /sign in with password "partneros-demo"/);
      assert.match(stdout, /ada@acme\.example/);

      const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'sam@partners.example', password: 'partneros-demo' }),
      });
      assert.equal(signIn.status, 200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const { trainings } = (await (await fetch(`${url}/api/workflow-pickers/trainings`, { headers: { cookie } })).json()) as {
        trainings: unknown[];
      };
      assert.ok(trainings.length >= 20);
      const session = (await (await fetch(`${url}/api/auth/session`, { headers: { cookie } })).json()) as { organizations: unknown[] };
      assert.equal(session.organizations.length, 2);

      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type')!, /text\/html/);
      // The demo page's CSP allows only what it uses: its own origin, and its one inline script by hash.
      const csp = page.headers.get('content-security-policy')!;
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
