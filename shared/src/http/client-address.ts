import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Whether the hop at `address` (the `index`-th from this server) is a proxy allowed to name the client. */
export type TrustProxy = (address: string, index: number) => boolean;

/**
 * TRUST_PROXY, read the way express reads its `trust proxy` setting: `true`/`false`, a hop count, or a
 * comma-separated list of addresses, subnets and names (`loopback`, `uniquelocal`…). Throws on a bad address.
 */
export function parseTrustProxy(setting: string): TrustProxy {
  const value = setting.trim();
  if (value === 'true') return () => true;
  if (value === 'false') return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, index) => index < hops;
  }
  return proxyAddr.compile(value.split(',').map((part) => part.trim()));
}

/**
 * The client's address: the socket's peer, or, when that peer is a trusted proxy, the nearest untrusted
 * address in X-Forwarded-For. The same answer as express's `req.ip`, for requests outside express (upgrades).
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyAddr(req, trust);
}
