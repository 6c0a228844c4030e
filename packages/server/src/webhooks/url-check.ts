import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../domain/errors.js';
import type { WebhookUrlCheck } from '../domain/webhooks/webhooks.js';

/**
 * The SSRF guard for webhook endpoints: loopback, private, link-local, carrier-grade NAT,
 * benchmarking, multicast and reserved ranges (and IPv6's equivalents, IPv4-mapped included).
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** True for an address in a range a webhook may not reach. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  return internal.check(address, 'ipv6');
}

/**
 * Checks an endpoint URL: absolute http(s), no credentials in it, a host that resolves, and (unless
 * `allowPrivate`) no resolved address in an internal range.
 */
export function webhookUrlCheck(options: { allowPrivate: boolean }): WebhookUrlCheck {
  return async (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new AppError('webhook_url_invalid', { meta: { param_name: 'url', reason: 'not an absolute URL' } });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AppError('webhook_url_invalid', { meta: { param_name: 'url', reason: 'not http or https' } });
    }
    if (url.username || url.password) {
      throw new AppError('webhook_url_invalid', { meta: { param_name: 'url', reason: 'credentials in the URL' } });
    }
    if (options.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new AppError('webhook_url_invalid', { meta: { param_name: 'url', reason: 'host does not resolve' } });
    }
    if (addresses.length === 0 || addresses.some(isInternalAddress)) {
      throw new AppError('webhook_url_private', { meta: { param_name: 'url' } });
    }
  };
}
