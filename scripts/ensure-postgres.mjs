// Makes sure Debian's PostgreSQL 15 server binaries are there for the tests
// that run on PostgreSQL (test/support/postgres.ts starts a throwaway server
// from them). As root with apt-get it installs Debian's `postgresql` package;
// otherwise it stops with one line saying what to install. Installing the
// package also creates the unprivileged `postgres` user the tests run it as.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const POSTGRES_BIN = process.env.POS_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const found = () => existsSync(`${POSTGRES_BIN}/initdb`) && existsSync(`${POSTGRES_BIN}/postgres`);

if (!found()) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(
      `No PostgreSQL 15 server in ${POSTGRES_BIN}: install Debian's "postgresql" package (apt-get install postgresql), or set POS_POSTGRES_BIN to the folder holding initdb and postgres.`,
    );
    process.exit(1);
  }
  console.log("No PostgreSQL server found: installing Debian's postgresql package with apt-get…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!found()) {
    console.error(`apt-get finished but ${POSTGRES_BIN}/initdb is still missing: install PostgreSQL 15 and set POS_POSTGRES_BIN.`);
    process.exit(1);
  }
}
console.log(`PostgreSQL tests use ${POSTGRES_BIN}`);
