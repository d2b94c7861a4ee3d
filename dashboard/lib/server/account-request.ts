// Helpers shared by the account routes: reading a form or JSON body, validating it with zod into an
// ApiError that names the field, who the client is (address, user agent), the sign-in challenge
// cookie, and a wrapper for the routes used before there is a session (sign-in steps, forgotten
// password), which apiRoute cannot wrap because it requires one.
import 'server-only';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import type { ClientInfo } from '../../../lib/auth.ts';
import { errorMessage } from '../../../lib/errors.ts';
import { getDictionary, type Dictionary, type Locale } from '../i18n/index.ts';
import { clientAddress } from './client-address.ts';
import { getServerContext } from './context.ts';
import { readFormOrJson } from './body.ts';
import { ApiError, cookieSecurity, getLocale, jsonError, refuseCrossSite } from './session.ts';

/** The cookie that carries a sign-in challenge (right password, code or enrolment still to come). */
export const CHALLENGE_COOKIE = 'pulse_challenge';

export interface RequestBody {
  isJson: boolean;
  fields: Record<string, unknown>;
}

/** A JSON object or a form (a plain HTML form works without any script). */
/** The body as fields, through the one size-limited, UTF-8-checked reader (body.ts): 413 / 400 otherwise. */
export async function readBody(request: NextRequest): Promise<RequestBody> {
  return readFormOrJson(request);
}

/** Parses with zod; a failure is a 400 naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'body');
  throw new ApiError(400, 'bad_request', `${field}: ${issue.message}`, field);
}

export async function clientInfo(request: NextRequest): Promise<ClientInfo> {
  const { config } = await getServerContext();
  return { address: clientAddress(request.headers, config.trustProxy), userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null };
}

export function challengeCookie(request: NextRequest, expiresAt: Date) {
  // Strict: the challenge is only ever sent back by this site's own sign-in pages.
  return { ...cookieSecurity(request), sameSite: 'strict' as const, maxAge: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) };
}

export function minutesFrom(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

type PublicHandler = (request: NextRequest, ctx: { locale: Locale; t: Dictionary }) => Promise<Response>;

/**
 * For routes used before sign-in: refuses cross-site POSTs (like apiRoute), turns ApiError into its
 * 4xx, and any other error into a 500 that shows no internals (and logs no request body).
 */
export function publicRoute(handler: PublicHandler) {
  return async (request: NextRequest): Promise<Response> => {
    const locale = await getLocale();
    const t = getDictionary(locale);
    try {
      const crossSite = refuseCrossSite(request);
      if (crossSite) return crossSite;
      return await handler(request, { locale, t });
    } catch (error) {
      if (error instanceof ApiError) return jsonError(error.status, error.code, error.message, error.field);
      console.error(`[pulse] ${request.method} ${request.nextUrl.pathname} failed: ${errorMessage(error)}`);
      return jsonError(500, 'server_error', t.errors.server);
    }
  };
}
