import { BlockList, isIP } from 'node:net';

/**
 * `POS_TRUST_PROXY`: which peers may tell the server, in `X-Forwarded-For` and
 * `X-Forwarded-Proto`, who the client is and whether it came over https.
 * `false`: nobody (the headers are ignored). A number N: the N hops closest to
 * the server are proxies. A list: the proxies' addresses and ranges.
 */
export type TrustProxy = false | number | readonly string[];

// The names Express's `trust proxy` accepts, for the usual private networks (a container's proxy).
const NAMED_RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const USAGE = 'a number of proxy hops (1) or a comma-separated list of proxy addresses or ranges (10.0.0.1, 10.0.0.0/8, ::1, loopback)';

/** Thrown by {@link parseTrustProxy}; config.ts names the setting in front of the message. */
export class TrustProxyError extends Error {}

/**
 * An IPv4 client on a dual-stack socket shows as `::ffff:127.0.0.1`: the same
 * client as `127.0.0.1`, so both must count against one limit and match one entry.
 */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/** The setting as written: unset, `false` or `0` (off), a number of hops, or a list. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    // Express's `true` trusts every client's own X-Forwarded-For: the spoofing this setting exists to prevent.
    throw new TrustProxyError(`must be ${USAGE}, got "true" (which would let any client choose its own address)`);
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  addressMatcher(entries);
  return entries;
}

function addressMatcher(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    for (const item of NAMED_RANGES[entry.toLowerCase()] ?? [entry]) {
      const [address = '', prefix, ...rest] = item.split('/');
      const ip = normalizeAddress(address);
      const family = isIP(ip);
      const bits = family === 4 ? 32 : 128;
      if (family === 0 || rest.length > 0 || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
        throw new TrustProxyError(`must be ${USAGE}, got "${entry}"`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) list.addAddress(ip, type);
      else list.addSubnet(ip, Number(prefix), type);
    }
  }
  return list;
}

/**
 * Who the client is and whether it used https, read from the forwarded headers
 * only as far as `trust` allows; without trust they are ignored, since any
 * client can send them.
 */
export function proxyTrust(trust: TrustProxy) {
  // hop 0 is the socket's peer, hop 1 the rightmost X-Forwarded-For entry, and so on leftwards.
  let trusts: ((address: string, hop: number) => boolean) | undefined;
  if (typeof trust === 'number') {
    if (trust > 0) trusts = (_address, hop) => hop < trust;
  } else if (trust) {
    const list = addressMatcher(trust);
    trusts = (address) => {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    };
  }

  return {
    /**
     * The client's address. Walks from the socket's peer leftwards through
     * X-Forwarded-For while the hop is trusted; the first untrusted hop is the
     * client (the leftmost entry when every one is trusted). With N hops that
     * is entry N, counted from 0 at the right, of [...X-Forwarded-For, socket]:
     * socket 10.0.0.2 and `X-Forwarded-For: 203.0.113.7, 10.0.0.1` give
     * 10.0.0.1 for N = 1 and 203.0.113.7 for N = 2 (and for any N above).
     * Entries left of the client are the client's own words and never read.
     */
    clientAddress(socket: string | undefined, forwardedFor: string | undefined): string {
      const peer = normalizeAddress(socket ?? 'unknown');
      if (!trusts?.(peer, 0) || !forwardedFor) return peer;
      const hops = forwardedFor.split(',');
      let client = peer;
      for (let i = hops.length - 1, hop = 1; i >= 0; i--) {
        const address = normalizeAddress(hops[i]!);
        if (!address) continue;
        client = address;
        if (!trusts(client, hop++)) break;
      }
      return client;
    },

    /**
     * Whether the client used https: the request URL's scheme, or else, from a
     * trusted peer only, the first value of X-Forwarded-Proto (the one the
     * proxy facing the client set, as Express reads it).
     */
    isHttps(url: string, socket: string | undefined, forwardedProto: string | undefined): boolean {
      if (new URL(url).protocol === 'https:') return true;
      if (!forwardedProto || !trusts?.(normalizeAddress(socket ?? 'unknown'), 0)) return false;
      return forwardedProto.split(',')[0]!.trim().toLowerCase() === 'https';
    },
  };
}

export type ProxyTrust = ReturnType<typeof proxyTrust>;
