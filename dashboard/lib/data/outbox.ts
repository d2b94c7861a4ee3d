// The local mail capture (no SMTP_URL): the messages Pulse "sent", with their attachments, so a demo
// or a test can see what recipients would get. Messages and attachments are asked for by the
// capture's own ids and positions, never by a file name from the request.
import 'server-only';
import { listOutbox, readOutboxAttachment } from '../../../reports/index.ts';
import { getServerContext } from '../server/context.ts';
import { ApiError } from '../server/session.ts';

export interface OutboxMessage {
  id: string;
  receivedAt: string;
  to: string | null;
  subject: string | null;
  messageId: string | null;
  language: string | null;
  size: number;
  attachments: { index: number; filename: string | null; contentType: string; size: number }[];
}

export const OUTBOX_LIMIT = 100;

/** Throws 404 when mail goes to a real server (SMTP_URL): there is no local outbox to show. */
async function outboxDataDir(): Promise<string> {
  const { config } = await getServerContext();
  if (config.smtpUrl) throw new ApiError(404, 'no_outbox', 'Mail goes to the server in SMTP_URL: there is no local outbox.');
  return config.dataDir;
}

export async function isOutboxActive(): Promise<boolean> {
  return !(await getServerContext()).config.smtpUrl;
}

export async function getOutboxMessages(limit = OUTBOX_LIMIT): Promise<OutboxMessage[]> {
  const entries = await listOutbox(await outboxDataDir(), { limit });
  return entries.map((e) => ({
    id: e.id,
    receivedAt: e.receivedAt,
    to: e.to,
    subject: e.subject,
    messageId: e.messageId,
    language: e.language,
    size: e.size,
    attachments: e.attachments.map((a, index) => ({ index, filename: a.filename, contentType: a.contentType, size: a.size })),
  }));
}

export async function getOutboxAttachment(id: string, index: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
  if (!/^\d{1,3}$/.test(index)) throw new ApiError(400, 'bad_index', 'index: must be an attachment number', 'index');
  const attachment = await readOutboxAttachment(await outboxDataDir(), id, Number(index));
  if (!attachment) throw new ApiError(404, 'unknown_attachment', `There is no attachment ${index} of message ${JSON.stringify(id)} in the outbox.`, 'id');
  return attachment;
}

/** `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the real name for browsers that read it. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
