// POST /api/pipeline/retry { mode: 'incremental' | 'full' } — queues a pipeline run (jobs:run).
// Audited as a manual job action, queued or not.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { queuePipelineRun, WorkerNotReadyError } from '../../../../lib/data/pipeline.ts';
import { audit } from '../../../../lib/server/audit.ts';
import { readJsonBody } from '../../../../lib/server/body.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.strictObject({ mode: z.enum(['incremental', 'full'], { error: 'must be incremental or full' }).default('incremental') });

export const POST = apiRoute('jobs:run', async (request, { session }) => {
  const raw = await readJsonBody(request);
  const parsed = body.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys[0] : 'body'));
    throw new ApiError(400, 'bad_request', `${field}: ${issue.message}`, field);
  }
  const { mode } = parsed.data;
  let jobId: string | null;
  try {
    jobId = await queuePipelineRun(mode, `dashboard:${session.user.email}`.slice(0, 100));
  } catch (error) {
    await audit(session, 'job_action', 'pipeline', null, { command: 'retry', mode, error: error instanceof WorkerNotReadyError ? 'worker_not_ready' : 'error' }, 'failure');
    if (error instanceof WorkerNotReadyError) throw new ApiError(503, 'worker_not_ready', error.message);
    throw error;
  }
  // jobId null: a run of this mode was already queued, so this request added none.
  await audit(session, 'job_action', 'pipeline', null, { command: 'retry', mode, jobId, queued: jobId !== null });
  return NextResponse.json({ queued: jobId !== null, jobId }, { status: 202 });
});
