// GET /api/pipeline/runs — recent runs with per-table progress and comparison (what the Pipeline page shows).
import { NextResponse } from 'next/server';
import { getPipelineStatus } from '../../../../lib/data/pipeline.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:pipeline', async () => NextResponse.json(await getPipelineStatus(), { headers: { 'cache-control': 'no-store' } }));
