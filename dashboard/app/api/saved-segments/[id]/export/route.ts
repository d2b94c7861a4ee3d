// GET /api/saved-segments/:id/export?format=csv|xlsx|arrow&columns=customer_id,name,… — the members as a
// download with the chosen columns, for roles with `data:export` only (checked here, on the server).
// Personal data is masked unless the role has `pii:unmasked`. The export is written to the audit log
// with its row count, counted on the snapshot the file is read from, before the first byte is sent.
import { can } from '../../../../../../lib/auth-roles.ts';
import { defaultExportColumns, exportContentTypes, exportExtensions, parseExportColumns, prepareExport, savedExportFormats, type SavedExportFormat } from '../../../../../lib/data/segment-export.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { requireVisibleSegment, translateWarehouseError } from '../../../../../lib/server/saved-segment-api.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('data:export', async (request, { session, locale, t }, params) => {
  const sp = request.nextUrl.searchParams;
  for (const key of ['format', 'columns']) if (sp.getAll(key).length > 1) throw new ApiError(400, 'bad_request', `${key}: must be given once`, key);
  const format = sp.get('format') ?? 'csv';
  if (!(savedExportFormats as readonly string[]).includes(format)) throw new ApiError(400, 'bad_format', `format: must be one of ${savedExportFormats.join(', ')}`, 'format');
  const keys = sp.get('columns') === null ? defaultExportColumns : sp.get('columns')!.split(',').filter(Boolean);
  if (keys.length === 0) throw new ApiError(400, 'bad_columns', 'columns: choose at least one column', 'columns');
  const chosen = parseExportColumns(keys);
  if (!chosen.ok) throw new ApiError(400, 'bad_columns', `columns: unknown column ${chosen.unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`, 'columns');
  const segment = await requireVisibleSegment(params.id, session);
  const unmasked = can(session.user.role, 'pii:unmasked');
  const prepared = await prepareExport(segment, format as SavedExportFormat, chosen.columns, locale, t.builder.columnLabels, { unmasked, scope: session.ownerScope }).catch(translateWarehouseError);
  try {
    await audit(session, 'export', `saved_segment:${segment.id}`, prepared.rowCount, { format, columns: chosen.columns.map((c) => c.key), unmasked, runId: prepared.runId });
  } catch (error) {
    // No audit entry, no file.
    await prepared.body.cancel();
    throw error;
  }
  const stamp = new Date().toISOString().slice(0, 10);
  const file = `segment-${segment.id}-${stamp}.${exportExtensions[format as SavedExportFormat]}`;
  return new Response(prepared.body, {
    headers: {
      'content-type': exportContentTypes[format as SavedExportFormat],
      'content-disposition': `attachment; filename="${file}"`,
      // no-transform: the server does not gzip the file on the fly (for a 75 MB CSV that took more CPU
      // than reading and writing it); a browser downloads it as it is written.
      'cache-control': 'private, no-store, no-transform',
      'x-content-type-options': 'nosniff',
      'x-pulse-row-count': String(prepared.rowCount),
    },
  });
});
