import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Which peers may speak for the client in X-Forwarded-For / X-Forwarded-Proto (TRUST_PROXY):
 * false (none: the socket's address is the client), a number of proxy hops in front of the API
 * (`true` = 1), or the proxies' addresses and CIDR ranges (`loopback`, `linklocal` and `uniquelocal`
 * name the private ranges). The client is the nearest address in X-Forwarded-For that is not a
 * trusted proxy, read from the right, so a client's own X-Forwarded-For entries are never believed.
 * See docs/ARCHITECTURE.md (client addresses).
 */
export type TrustProxy = boolean | number | string[];

/** Reads TRUST_PROXY's text; throws a readable message when an address or range is malformed. */
export function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false' || value === 'no' || value === '0') return false;
  if (value === 'true' || value === 'yes') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((part) => part.trim());
  if (list.some((part) => !part)) throw new Error('expected false, a hop count, or a comma-separated list of proxy addresses/CIDRs');
  try {
    proxyaddr.compile(list);
  } catch (error) {
    throw new Error(`expected false, a hop count, or proxy addresses/CIDRs: ${(error as Error).message}`);
  }
  return list;
}

type Trust = (address: string, hop: number) => boolean;
const compiled = new Map<string, Trust>();

/** Whether the peer `hop` steps away (0 = the socket's peer) with `address` is a trusted proxy. */
export function trustFunction(setting: TrustProxy): Trust {
  const key = JSON.stringify(setting);
  let trust = compiled.get(key);
  if (!trust) {
    if (Array.isArray(setting)) trust = proxyaddr.compile(setting);
    else {
      const hops = setting === true ? 1 : setting === false ? 0 : setting;
      trust = (_address, hop) => hop < hops;
    }
    compiled.set(key, trust);
  }
  return trust;
}

const plainIpv4 = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** The client's address: the socket's peer, or the first untrusted hop of X-Forwarded-For behind trusted proxies. */
export function clientAddress(req: IncomingMessage, setting: TrustProxy): string | null {
  if (!req.socket?.remoteAddress) return null;
  return plainIpv4(proxyaddr(req, trustFunction(setting)));
}

/** Whether the request reached the API over TLS: directly, or said so by a trusted proxy's X-Forwarded-Proto. */
export function viaTls(req: IncomingMessage, setting: TrustProxy): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  const peer = req.socket?.remoteAddress;
  if (!peer || !trustFunction(setting)(plainIpv4(peer), 0)) return false;
  return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim().toLowerCase() === 'https';
}
