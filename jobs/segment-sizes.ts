// After each publish: the size of every saved segment on the new snapshot (dynamic segments
// re-evaluated from their rules, static ones counted from their frozen members), for the size-over-time
// chart. Cheap (one counting query per segment on one read-only handle) and failure-isolated: a
// segment that cannot be evaluated gets its error recorded, and nothing here fails the pipeline run.
import { errorMessage } from '../lib/errors.ts';
import { getSegmentTarget, listAllSavedSegments, recordSegmentSize } from '../lib/saved-segments.ts';
import { DuckDb, countSegment, snapshotPath, todayIn, withSegmentCondition, type SnapshotInfo } from '../warehouse/index.ts';
import type { PipelineContext } from './pipeline.ts';

export interface SegmentSizesResult {
  evaluated: number;
  failed: number;
  seconds: number;
}

export async function recordSavedSegmentSizes(ctx: PipelineContext, snapshot: SnapshotInfo, now: Date = new Date()): Promise<SegmentSizesResult> {
  const started = performance.now();
  const segments = await listAllSavedSegments(ctx.pool);
  let evaluated = 0;
  let failed = 0;
  if (segments.length === 0) return { evaluated, failed, seconds: 0 };
  const today = todayIn(ctx.config.timeZone, now);
  const db = await DuckDb.open(snapshotPath(ctx.config.dataDir, snapshot.file), { readOnly: true });
  try {
    for (const segment of segments) {
      try {
        const target = await getSegmentTarget(ctx.pool, segment);
        const count = await withSegmentCondition(db, target, { today }, (condition) => countSegment(db, condition));
        await recordSegmentSize(ctx.pool, segment.id, { runId: snapshot.runId, snapshot: snapshot.file, customers: count.customers, revenue: count.revenue, revenueShare: count.revenueShare, error: null });
        evaluated++;
      } catch (error) {
        failed++;
        ctx.log.warn({ segmentId: segment.id, err: errorMessage(error) }, 'saved segment could not be evaluated on the new snapshot');
        await recordSegmentSize(ctx.pool, segment.id, { runId: snapshot.runId, snapshot: snapshot.file, customers: null, revenue: null, revenueShare: null, error: errorMessage(error).slice(0, 500) }).catch(
          () => undefined,
        );
      }
    }
  } finally {
    db.close();
  }
  return { evaluated, failed, seconds: (performance.now() - started) / 1000 };
}
