// POST /api/account/mfa (JSON): the signed-in user's own two-step sign-in.
//   { action: 'confirm', code }         turns it on (after /account/mfa showed the QR code) → { recoveryCodes }
//   { action: 'disable', code }         turns it off (needs a current code; refused if the role requires it)
//   { action: 'recovery_codes', code }  replaces the recovery codes → { recoveryCodes }
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { actorOf, confirmTotpEnrolment, disableMfa, regenerateRecoveryCodes } from '../../../../../lib/mfa.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { clientInfo, minutesFrom, parseInput, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { getKeyring } from '../../../../lib/server/keyring.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const code = z.string().trim().min(1, 'must not be empty').max(64, 'is too long');
const body = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('confirm'), code: z.string().trim().regex(/^\d{6}$/, 'must be the 6 digits the app shows') }),
    z.object({ action: z.literal('disable'), code }),
    z.object({ action: z.literal('recovery_codes'), code }),
  ],
  { error: 'action: must be confirm, disable or recovery_codes' },
);

export const POST = apiRoute('account:self', async (request, { session, t }) => {
  const input = parseInput(body, (await readBody(request)).fields);
  const { pool } = await getServerContext();
  const keyring = await getKeyring();
  const actor = actorOf(session.user, (await clientInfo(request)).address);
  const texts = t.accounts.account;
  if (input.action === 'confirm') {
    const result = await confirmTotpEnrolment(pool, keyring, session.user.id, input.code, actor);
    if (result.ok) return NextResponse.json({ ok: true, recoveryCodes: result.recoveryCodes }, { headers: { 'cache-control': 'no-store' } });
    if (result.reason === 'invalid_code') throw new ApiError(400, 'invalid_code', t.accounts.enrol.invalid, 'code');
    throw new ApiError(409, result.reason, result.reason === 'already_enabled' ? t.accounts.enrol.alreadyEnabled : t.accounts.enrol.expired);
  }
  const result = input.action === 'disable' ? await disableMfa(pool, keyring, session.user.id, input.code, actor) : await regenerateRecoveryCodes(pool, keyring, session.user.id, input.code, actor);
  if (!result.ok) {
    if (result.reason === 'invalid_code') throw new ApiError(400, 'invalid_code', texts.invalidCode, 'code');
    if (result.reason === 'throttled') throw new ApiError(429, 'throttled', fill(t.accounts.errors.throttled, { minutes: minutesFrom(result.retryAfterSeconds) }));
    throw new ApiError(409, result.reason, result.reason === 'required' ? texts.requiredNoDisable : texts.notEnabled);
  }
  return NextResponse.json(result, { headers: { 'cache-control': 'no-store' } });
});
