// The public segment API's door (/api/v1): bearer-token authentication, scopes, the per-token rate
// limit and JSON errors. Routes are wrapped in tokenRoute() instead of apiRoute(): a mailing tool or
// CRM has no session, and cookies are deliberately ignored here — a browser that happens to be signed
// in must not be able to call the API on a page's behalf, so only `Authorization: Bearer` counts.
// The permission check still comes from the one table: each scope maps to a permission the token's
// owner must hold (lib/api-tokens.ts scopePermission), checked on every request.
import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { authenticateApiToken, principalMay, scopePermission, type ApiPrincipal, type ApiScope } from '../../../lib/api-tokens.ts';
import { errorMessage } from '../../../lib/errors.ts';
import { SlidingWindowLimiter, type RateDecision } from '../../../lib/rate-limit.ts';
import { clientAddress as socketOrProxyAddress } from './client-address.ts';
import { getServerContext } from './context.ts';
import { ApiError } from './session.ts';

/** JSON error body of every /api/v1 answer: { error: { code, message } }. */
export function apiV1Error(status: number, code: string, message: string, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

const holder = globalThis as typeof globalThis & { __pulseApiLimiter?: SlidingWindowLimiter };

/** One limiter per process, shared by every route bundle (Next.js may load this module more than once). */
function getLimiter(limit: number): SlidingWindowLimiter {
  if (!holder.__pulseApiLimiter || holder.__pulseApiLimiter.limit !== limit) holder.__pulseApiLimiter = new SlidingWindowLimiter(limit, 60_000);
  return holder.__pulseApiLimiter;
}

function rateHeaders(decision: RateDecision): Record<string, string> {
  return { 'x-ratelimit-limit': String(decision.limit), 'x-ratelimit-remaining': String(decision.remaining) };
}

/** The client's address as the audit log records it. */
export async function clientAddress(request: NextRequest): Promise<string | null> {
  // The same rule as sign-in throttling: the socket's address, X-Forwarded-For only behind a trusted proxy.
  const { config } = await getServerContext();
  return socketOrProxyAddress(request.headers, config.trustProxy);
}

type TokenHandler<P> = (request: NextRequest, principal: ApiPrincipal, params: P) => Promise<Response>;

/**
 * Wraps a /api/v1 handler: 401 without a valid bearer token (unknown, expired, revoked, owner
 * disabled), 403 when the token lacks `scope` or the owner's role no longer allows it, 429 with
 * Retry-After over the rate limit, 4xx for ApiError, and a 500 that shows no internals. Every answer
 * that passed authentication carries X-RateLimit-Limit and X-RateLimit-Remaining.
 */
export function tokenRoute<P = unknown>(scope: ApiScope, handler: TokenHandler<P>) {
  return async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    let headers: Record<string, string> = {};
    try {
      const authorization = request.headers.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match) return apiV1Error(401, 'unauthenticated', 'Send the API token as `Authorization: Bearer pulse_…` (cookies are not accepted on /api/v1).', { 'www-authenticate': 'Bearer' });
      const { pool, config } = await getServerContext();
      const principal = await authenticateApiToken(pool, match[1]!);
      if (!principal) return apiV1Error(401, 'invalid_token', 'The API token is unknown, expired or revoked, or its owner is disabled.', { 'www-authenticate': 'Bearer error="invalid_token"' });
      const decision = getLimiter(config.apiRateLimit).take(`token:${principal.token.id}`, Date.now());
      headers = rateHeaders(decision);
      if (!decision.allowed) {
        return apiV1Error(429, 'rate_limited', `This token may make ${decision.limit} requests per minute: try again in ${decision.retryAfterSeconds} s.`, {
          ...headers,
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
      if (!principalMay(principal, scope)) {
        const why = principal.token.scopes.includes(scope) ? `its owner's role (${principal.user.role}) lacks ${scopePermission[scope]}` : `it was created without the ${scope} scope`;
        return apiV1Error(403, 'insufficient_scope', `This token may not do this: ${why}.`, headers);
      }
      const response = await handler(request, principal, await segment.params);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (error) {
      if (error instanceof ApiError) return apiV1Error(error.status, error.code, error.message, headers);
      console.error(`[pulse] ${request.method} ${request.nextUrl.pathname} failed: ${errorMessage(error)}`);
      return apiV1Error(500, 'server_error', 'The server failed to answer; try again later.', headers);
    }
  };
}

/** Parses search parameters with zod: each given at most once, the first problem as a 400 naming it. */
export function parseQuery<S extends z.ZodType>(request: NextRequest, schema: S, keys: readonly string[]): z.output<S> {
  const sp = request.nextUrl.searchParams;
  const raw: Record<string, string | undefined> = {};
  for (const key of keys) {
    if (sp.getAll(key).length > 1) throw new ApiError(400, 'bad_request', `${key}: must be given once`, key);
    raw[key] = sp.get(key) || undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? keys[0] ?? 'query');
    throw new ApiError(400, 'bad_request', `${field}: ${issue.message}`, field);
  }
  return parsed.data;
}
