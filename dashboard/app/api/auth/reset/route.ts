// POST /api/auth/reset (form or JSON: token, password, confirm): sets a password through an e-mailed
// reset or invitation link. A password that breaks a rule leaves the link usable; a used or expired
// link is refused. Success ends every session of the user and sends them to sign in.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { usePasswordToken } from '../../../../../lib/account-tokens.ts';
import { clientInfo, publicRoute, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { jsonError, seeOther } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.object({
  token: z.string().min(1, 'must not be empty').max(100),
  password: z.string().max(1000),
  confirm: z.string().max(1000).optional(),
});

export const POST = publicRoute(async (request: NextRequest, { t }) => {
  const { isJson, fields } = await readBody(request);
  const parsed = body.safeParse(fields);
  const token = typeof fields.token === 'string' ? fields.token.slice(0, 100) : '';
  const back = (error: string) => seeOther(`/reset-password?token=${encodeURIComponent(token)}&error=${error}`);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]!.path[0] ?? 'body');
    return isJson ? jsonError(400, 'bad_request', `${field}: ${parsed.error.issues[0]!.message}`, field) : back('invalid_link');
  }
  const { password, confirm } = parsed.data;
  if (confirm !== undefined && confirm !== password) return isJson ? jsonError(400, 'mismatch', t.accounts.rules.mismatch, 'confirm') : back('mismatch');
  const { pool } = await getServerContext();
  const result = await usePasswordToken(pool, parsed.data.token, password, await clientInfo(request));
  if (!result.ok) {
    if (result.reason === 'invalid_token') return isJson ? jsonError(410, 'invalid_token', t.accounts.reset.invalidLink, 'token') : back('invalid_link');
    return isJson ? jsonError(400, result.problem.rule, t.accounts.rules[result.problem.rule], 'password') : back(result.problem.rule);
  }
  return isJson ? NextResponse.json({ ok: true, email: result.user.email }, { headers: { 'cache-control': 'no-store' } }) : seeOther('/sign-in?notice=password_set');
});
