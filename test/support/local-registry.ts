/**
 * A throwaway npm registry on 127.0.0.1 that serves exactly the packages a
 * consumer of our tarball needs, packed from this project's own node_modules
 * (which `npm ci` installed at the lock file's versions).
 *
 * Why: `npm install --offline` needs each dependency's registry metadata in
 * the npm cache, and `npm ci` never writes that metadata (it fetches tarballs
 * by the lock file's URLs), so on a machine whose cache started empty the
 * tarball test failed with ENOTCACHED. Serving the metadata ourselves keeps
 * the test's meaning (npm resolves the package's declared dependencies, and
 * only those, as a consumer's install would) with no network and no warm cache:
 * a dependency the package forgot to declare is a 404 here, and the install fails.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (root: string, name: string): Manifest =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;

/** What npm installs for a package: its dependencies and its non-optional peers (npm ≥ 7 installs those). */
const installedWith = (m: Manifest) => [
  ...Object.keys(m.dependencies ?? {}),
  ...Object.keys(m.peerDependencies ?? {}).filter((peer) => !m.peerDependenciesMeta?.[peer]?.optional),
];

/** The names npm will ask for when installing a package with `manifest`, found by walking node_modules. */
export function dependencyClosure(root: string, manifest: Manifest): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    installedWith(readManifest(root, name)).forEach(visit);
  };
  installedWith(manifest).forEach(visit);
  return [...seen].sort();
}

export interface LocalRegistry {
  url: string;
  /** The packages served, as name@version. */
  packages: string[];
  close(): Promise<void>;
}

/** Packs `names` from `root`/node_modules into `folder` and serves them as a registry. */
export async function startLocalRegistry(root: string, names: string[], folder: string): Promise<LocalRegistry> {
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', folder, ...names.map((n) => `./node_modules/${n}`)],
    { cwd: root, env: { ...process.env, npm_config_cache: join(folder, '.pack-cache') } },
  );
  const packed = JSON.parse(stdout) as { name: string; version: string; filename: string }[];
  const tarballs = new Map<string, Buffer>();
  const documents = new Map<string, (base: string) => object>();
  for (const { name, version, filename } of packed) {
    const file = basename(filename);
    const bytes = readFileSync(join(folder, file));
    tarballs.set(file, bytes);
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    const manifest = readManifest(root, name);
    const { dependencies, peerDependencies, peerDependenciesMeta, optionalDependencies } = manifest;
    documents.set(name, (base) => ({
      name,
      'dist-tags': { latest: version },
      versions: {
        [version]: {
          name,
          version,
          dependencies,
          peerDependencies,
          peerDependenciesMeta,
          optionalDependencies,
          dist: { tarball: `${base}/-/${file}`, integrity },
        },
      },
    }));
  }

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname.slice(1));
    const base = `http://${req.headers.host}`;
    const tarball = path.startsWith('-/') ? tarballs.get(path.slice(2)) : undefined;
    if (tarball) return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    const document = documents.get(path);
    if (document) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(base)));
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `${path} is not served by the local registry` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    packages: packed.map((p) => `${p.name}@${p.version}`),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
