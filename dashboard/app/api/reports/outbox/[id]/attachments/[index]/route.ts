// GET /api/reports/outbox/:id/attachments/:index — one attachment of a captured message, by the
// capture's id and the attachment's position (never a file name from the request). Audited: report
// attachments can hold customer data.
import { attachmentDisposition, getOutboxAttachment } from '../../../../../../../lib/data/outbox.ts';
import { auditReports } from '../../../../../../../lib/server/reports-env.ts';
import { apiRoute } from '../../../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string; index: string }>('reports:admin', async (_request, { session }, params) => {
  const attachment = await getOutboxAttachment(params.id, params.index);
  await auditReports(session, { action: 'export', target: `outbox:${params.id}`, details: { attachment: Number(params.index), filename: attachment.filename } });
  return new Response(new Uint8Array(attachment.content), {
    headers: {
      'content-type': attachment.contentType,
      'content-length': String(attachment.content.length),
      'content-disposition': attachmentDisposition(attachment.filename),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
