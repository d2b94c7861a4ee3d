// POST /api/auth/forgot (form or JSON: email): "forgot password". The answer is the same whether or
// not the e-mail has an account, and takes the same time: the e-mail is sent after the response
// (next/server after()), and every answer waits until MIN_ANSWER_MS. Throttled per address (429).
import { NextResponse, after, type NextRequest } from 'next/server';
import { z } from 'zod';
import { requestPasswordReset } from '../../../../../lib/account-tokens.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { sendAccountMail } from '../../../../lib/server/account-mail.ts';
import { clientInfo, minutesFrom, publicRoute, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { jsonError, seeOther } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

/** Every answer takes at least this long, so the small extra work for a real account does not show. */
const MIN_ANSWER_MS = 250;

const body = z.object({ email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address')) });

export const POST = publicRoute(async (request: NextRequest, { t, locale }) => {
  const started = Date.now();
  const { isJson, fields } = await readBody(request);
  const parsed = body.safeParse(fields);
  if (!parsed.success) return isJson ? jsonError(400, 'bad_request', `email: ${parsed.error.issues[0]!.message}`, 'email') : seeOther('/sign-in/forgot?error=missing');
  const { pool } = await getServerContext();
  const result = await requestPasswordReset(pool, parsed.data.email, await clientInfo(request));
  if (!result.ok) {
    const minutes = minutesFrom(result.retryAfterSeconds);
    if (!isJson) return seeOther(`/sign-in/forgot?error=throttled&minutes=${minutes}`);
    const response = jsonError(429, 'throttled', fill(t.accounts.forgot.throttled, { minutes }));
    response.headers.set('retry-after', String(result.retryAfterSeconds));
    return response;
  }
  if (result.mail) {
    const { user, token } = result.mail;
    after(() =>
      sendAccountMail('reset', user, token, { fallbackLocale: locale }).catch((error: unknown) => {
        // The address is logged, never the token or the link.
        console.error(`[pulse] password reset e-mail to ${user.email} failed: ${(error as Error).message}`);
      }),
    );
  }
  const wait = MIN_ANSWER_MS - (Date.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return isJson ? NextResponse.json({ ok: true, message: t.accounts.forgot.sent }, { status: 202, headers: { 'cache-control': 'no-store' } }) : seeOther('/sign-in/forgot?sent=1');
});
