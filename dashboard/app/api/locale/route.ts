// POST /api/locale (form or JSON: locale = zh-CN | en). Remembered in a cookie (also before sign-in)
// and on the signed-in user, then the browser goes back to the page it came from.
import { NextResponse, type NextRequest } from 'next/server';
import { setUserLanguage } from '../../../../lib/auth.ts';
import { isLocale, LOCALE_COOKIE } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { readFormOrJson } from '../../../lib/server/body.ts';
import { ApiError, cookieSecurity, getCurrentSession, isSameOrigin, jsonError, safeReturnPath, seeOther } from '../../../lib/server/session.ts';

export const runtime = 'nodejs';

export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request)) return jsonError(403, 'cross_site', 'Cross-site requests are not allowed.');
  let locale: unknown;
  let isJson: boolean;
  try {
    const body = await readFormOrJson(request);
    locale = body.fields.locale;
    isJson = body.isJson;
  } catch (error) {
    if (error instanceof ApiError) return jsonError(error.status, error.code, error.message);
    throw error;
  }
  if (!isLocale(locale)) return jsonError(400, 'bad_request', 'locale: must be zh-CN or en', 'locale');
  const session = await getCurrentSession();
  if (session) await setUserLanguage((await getServerContext()).pool, session.user.id, locale);
  const response = isJson ? NextResponse.json({ locale }) : seeOther(returnPath(request));
  response.cookies.set(LOCALE_COOKIE, locale, { ...cookieSecurity(request), httpOnly: false, maxAge: 365 * 24 * 3600 });
  return response;
}

/** Back to the page the form was on (same site only). */
function returnPath(request: NextRequest): string {
  const referer = request.headers.get('referer');
  if (!referer) return '/overview';
  try {
    const url = new URL(referer);
    return url.host === (request.headers.get('x-forwarded-host') ?? request.headers.get('host')) ? safeReturnPath(`${url.pathname}${url.search}`) : '/overview';
  } catch {
    return '/overview';
  }
}
