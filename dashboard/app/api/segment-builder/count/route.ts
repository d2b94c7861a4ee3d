// POST /api/segment-builder/count { rules } — the live count of a rule tree on the published snapshot:
// matching customers, their revenue, and their shares of all customers and revenue. Rules that do not
// compile get a 400 with every error and its rule's path (never a 500).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { countRules } from '../../../../lib/data/saved-segments.ts';
import { invalidRulesResponse, readJsonBody, translateWarehouseError } from '../../../../lib/server/saved-segment-api.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.strictObject({ rules: z.unknown() });

export const POST = apiRoute('segments:build', async (request, { t }) => {
  const parsed = body.safeParse(await readJsonBody(request));
  if (!parsed.success || parsed.data.rules === undefined) {
    const issue = parsed.success ? null : parsed.error.issues[0]!;
    const field = issue ? String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys[0] : 'rules')) : 'rules';
    throw new ApiError(400, 'bad_request', `${field}: ${issue?.message ?? 'must be a rule group'}`, field);
  }
  const started = performance.now();
  const result = await countRules(parsed.data.rules).catch(translateWarehouseError);
  if (!result.ok) return invalidRulesResponse(result.errors, t);
  // Server-Timing: how much of the answer was compiling and counting (the rest is HTTP and the session).
  return NextResponse.json({ ...result.count, runId: result.runId }, { headers: { 'cache-control': 'private, no-store', 'server-timing': `count;dur=${(performance.now() - started).toFixed(1)}` } });
});
