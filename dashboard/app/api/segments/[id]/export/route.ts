// GET /api/segments/:id/export?format=csv|xlsx — the segment's members as a download, for roles with
// `data:export` only (checked here, on the server; the page hiding the button is not what protects).
// Personal data is masked unless the role also has `pii:unmasked`. Every export is audited before
// the first byte is sent.
import { can } from '../../../../../../lib/auth-roles.ts';
import { exportFormats, streamMembersCsv, streamMembersXlsx } from '../../../../../lib/data/export.ts';
import { countSegmentMembers, getSegments, parseSegmentId } from '../../../../../lib/data/segments.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('data:export', async (request, { session, locale }, params) => {
  const id = parseSegmentId(params.id);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a segment number', 'id');
  const formats = request.nextUrl.searchParams.getAll('format');
  const format = formats.length === 0 ? 'csv' : formats.length === 1 ? formats[0] : null;
  if (!format || !(exportFormats as readonly string[]).includes(format)) throw new ApiError(400, 'bad_format', `format: must be one of ${exportFormats.join(', ')}`, 'format');
  let segment;
  try {
    segment = (await getSegments()).segments.find((s) => s.id === id);
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
  if (!segment) throw new ApiError(404, 'unknown_segment', `There is no segment ${id}.`, 'id');
  const unmasked = can(session.user.role, 'pii:unmasked');
  const scope = session.ownerScope;
  await audit(session, 'export', `segment:${id}`, await countSegmentMembers(segment, scope), { format, unmasked, ...(scope ? { ownerScope: scope } : {}) });
  const stamp = new Date().toISOString().slice(0, 10);
  const file = `segment-${id}-${stamp}.${format}`;
  const body = format === 'xlsx' ? streamMembersXlsx(segment, locale, { unmasked, scope }) : streamMembersCsv(segment, locale, { unmasked, scope });
  return new Response(body, {
    headers: {
      'content-type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
