// GET /api/reports/:name/file?format=pdf|xlsx&lang=&period=week|month|quarter|custom&from=&to=&segment=&download=1
// The report as it is e-mailed, for the viewer's role: inline for the Reports page's preview (the PDF
// in an <iframe>), or as a download. A download of a report that lists customers is an export and is
// audited; so is an inline view with unmasked personal data.
import { can } from '../../../../../../lib/auth-roles.ts';
import { isReportName } from '../../../../../../reports/index.ts';
import { parseReportFileQuery, renderReportForViewer } from '../../../../../lib/data/report-files.ts';
import { auditReports, toApiError } from '../../../../../lib/server/reports-env.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ name: string }>('reports:view', async (request, { session, locale }, params) => {
  if (!isReportName(params.name)) throw new ApiError(404, 'unknown_report', `There is no report ${JSON.stringify(params.name)}: executive, segment, sales or service.`, 'name');
  const parsed = parseReportFileQuery(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_request', `${parsed.field}: ${parsed.message}`, parsed.field);
  const query = parsed.value;
  const role = session.user.role;
  let rendered;
  try {
    rendered = await renderReportForViewer(params.name, role, query, query.lang ?? locale);
  } catch (error) {
    throw toApiError(error, { unknown_segment: 'segment' });
  }
  const { file, meta } = rendered;
  const download = query.download === '1';
  const unmasked = can(role, 'pii:unmasked');
  if (download || unmasked) {
    await auditReports(session, {
      action: download ? 'export' : 'pii_view',
      target: `report:${params.name}`,
      details: { format: file.format, from: meta.from, to: meta.to, lang: meta.lang, unmasked, inline: !download },
    });
  }
  return new Response(new Uint8Array(file.content), {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.content.length),
      'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${file.filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
