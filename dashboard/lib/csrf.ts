// Cross-site request forgery: a state-changing request (anything but GET/HEAD/OPTIONS) must come from
// a page of this site. Browsers send Origin on every such request, and Sec-Fetch-Site on all requests
// (Chromium, Firefox, Safari); neither can be set by a page of another site. Pure: the proxy (pages)
// and every API route that a cookie authenticates (apiRoute, publicRoute, sign-out, locale) call it;
// API v1 takes bearer tokens, which a browser never sends on its own.
//
// SameSite=Lax session cookies are not enough on their own: "site" ignores the port and subdomain,
// so another app on the same host (http://host:8080) is same-site and its form POSTs would carry the
// cookie. The Origin check does not ignore them.
//
// Scripts and API clients that are not browsers must send an Origin header naming this host.

export type OriginCheck = { ok: true } | { ok: false; reason: string };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

/** The host the browser addressed (the first of a proxy chain's X-Forwarded-Host values). */
function requestHost(headers: Headers): string | null {
  return (headers.get('x-forwarded-host') ?? headers.get('host'))?.split(',')[0]?.trim().toLowerCase() ?? null;
}

/** The host of an Origin value; null for 'null' (sandboxed frames, some redirects) or garbage. */
function hostOf(origin: string): string | null {
  if (origin === 'null') return null;
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

export function checkSameOrigin(headers: Headers): OriginCheck {
  const origin = headers.get('origin');
  const host = requestHost(headers);
  if (origin !== null) {
    const originHost = hostOf(origin);
    return originHost !== null && originHost === host ? { ok: true } : { ok: false, reason: `Origin ${origin} is not this site (${host ?? 'unknown host'})` };
  }
  // No Origin: only a navigation the user started themselves (typed URL, bookmark: 'none') or a
  // same-origin request may pass; 'same-site' is another port or subdomain, not us.
  const site = headers.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return { ok: true };
  return { ok: false, reason: site ? `Sec-Fetch-Site is ${site}` : 'the request has neither an Origin nor a Sec-Fetch-Site header (send Origin: the URL of this site)' };
}

/** What a refused cross-site request is told, in both languages (its JSON error message). */
export function crossSiteMessage(reason: string): string {
  return `Refused: a change must come from a page of this site (${reason}). 拒绝：修改请求必须来自本站页面。`;
}
