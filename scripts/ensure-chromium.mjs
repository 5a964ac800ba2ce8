// Makes sure a Chromium is there for the browser tests, without ever letting a
// test tool download its own browser (that fails on machines without internet).
// Order: $CHROME_PATH, then the usual system paths; as root with apt-get it
// installs Debian's `chromium`; otherwise it stops with one line saying what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium as found } from './chromium-path.mjs';

if (!found()) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(
      'No Chromium found: install Debian\'s "chromium" package (apt-get install chromium) or set CHROME_PATH to a Chrome/Chromium binary.',
    );
    process.exit(1);
  }
  console.log("No Chromium found: installing Debian's chromium package with apt-get…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!found()) {
    console.error('apt-get finished but /usr/bin/chromium is still missing: install a Chromium and set CHROME_PATH.');
    process.exit(1);
  }
}
console.log(`browser tests use ${found()}`);
