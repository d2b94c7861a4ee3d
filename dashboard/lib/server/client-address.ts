// The client's IP address, for sign-in throttling and the audit log.
//
// Why a hook: Next.js route handlers cannot see the TCP connection, and `next start` only fills in
// X-Forwarded-For from the socket when the request does not carry one already (base-server.js:
// `req.headers['x-forwarded-for'] ??= socket.remoteAddress`). So without a proxy, any client could
// pick its own "address" and walk around the per-address throttle. The hook below (installed by
// instrumentation.ts when the server starts) stamps every incoming request with the socket address
// in a header of our own, overwriting whatever the client sent under that name.
import http from 'node:http';

export const SOCKET_ADDRESS_HEADER = 'x-pulse-socket-address';

const holder = globalThis as typeof globalThis & { __pulseSocketAddressHook?: boolean };

export function installSocketAddressHeader(): void {
  if (holder.__pulseSocketAddressHook) return;
  holder.__pulseSocketAddressHook = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patchedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      request.headers[SOCKET_ADDRESS_HEADER] = normaliseAddress(request.socket?.remoteAddress) ?? '';
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

/** IPv4 clients of a dual-stack socket show as ::ffff:1.2.3.4; people know them as 1.2.3.4. */
function normaliseAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed || null;
}

/**
 * The address to throttle and audit. Behind a reverse proxy (PULSE_TRUST_PROXY=1) it is the last
 * X-Forwarded-For entry, the one the proxy itself added (earlier entries come from the client and
 * prove nothing); otherwise the socket address stamped by the hook.
 */
export function clientAddress(headers: Headers, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = headers.get('x-forwarded-for');
    const last = forwarded?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
    if (last) return normaliseAddress(last)?.slice(0, 100) ?? null;
  }
  return normaliseAddress(headers.get(SOCKET_ADDRESS_HEADER))?.slice(0, 100) ?? null;
}
