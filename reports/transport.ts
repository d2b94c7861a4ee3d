// Sending mail. Production: nodemailer to SMTP_URL. Without SMTP_URL (DESIGN: nothing needs a service
// the README does not start): a local SMTP capture server on 127.0.0.1, started by the worker, that
// stores each message as an .eml file under <dataDir>/outbox/ — and is the same SMTP path, so pointing
// SMTP_URL at a real server needs no code change. The capture can also say whether it holds a given
// Message-ID, which lets delivery resolve a send a dead worker left unfinished (deliver.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { ReportError } from '../lib/errors.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  language: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

export interface SendResult {
  messageId: string;
  response: string;
}

export interface MailTransport {
  /** Where mail goes, for logs (no credentials). */
  readonly description: string;
  send(mail: OutgoingMail): Promise<SendResult>;
  /**
   * Whether the server already accepted a message with this Message-ID; undefined when the server
   * cannot be asked (a real SMTP relay), in which case an interrupted send stays 'unknown'.
   */
  hasMessage?(messageId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const DEFAULT_FROM = 'Pulse reports <reports@pulse.local>';

/** nodemailer to an SMTP URL (smtp:// or smtps://). */
export function createSmtpTransport(url: string, options: { ignoreTLS?: boolean; hasMessage?: (messageId: string) => Promise<boolean>; timeoutMs?: number } = {}): MailTransport {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    url,
    ignoreTLS: options.ignoreTLS ?? false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const parsed = new URL(url);
  return {
    description: `${parsed.protocol}//${parsed.host}`,
    async send(mail) {
      const info = (await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: { 'Content-Language': mail.language },
        attachments: mail.attachments,
      })) as { messageId: string; response: string };
      return { messageId: info.messageId, response: info.response };
    },
    ...(options.hasMessage ? { hasMessage: options.hasMessage } : {}),
    async close() {
      transporter.close();
    },
  };
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

/** The outbox file name of a Message-ID: a hash, so any Message-ID makes a safe, findable name. */
function outboxName(messageId: string): string {
  return crypto.createHash('sha256').update(messageId.trim().replace(/^<|>$/g, '')).digest('hex').slice(0, 32);
}

export async function outboxHasMessage(dataDir: string, messageId: string): Promise<boolean> {
  return fs.existsSync(path.join(outboxDir(dataDir), `${outboxName(messageId)}.eml`));
}

export interface CaptureServer {
  port: number;
  url: string;
  /** Messages received since start (including duplicates), for tests and logs. */
  received: number;
  close(): Promise<void>;
}

/**
 * The local SMTP capture: 127.0.0.1 only, no authentication needed, no STARTTLS. A message is
 * written (to a temporary file, then renamed) before the server answers 250, so a message the
 * client saw accepted is always in the outbox. A second message with the same Message-ID is kept
 * beside the first (`<hash>-2.eml`), so a duplicate would be visible, never hidden.
 */
export async function startCaptureServer(dataDir: string, options: { port?: number } = {}): Promise<CaptureServer> {
  const dir = outboxDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const state = { received: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    hideSTARTTLS: true,
    logger: false,
    size: 50 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        try {
          const raw = Buffer.concat(chunks);
          const header = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('utf8');
          const messageId = /^message-id:\s*(.+)$/im.exec(header)?.[1]?.trim() ?? `<no-id-${crypto.randomUUID()}>`;
          const base = outboxName(messageId);
          let file = path.join(dir, `${base}.eml`);
          for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${base}-${n}.eml`);
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, raw);
          fs.renameSync(tmp, file);
          state.received++;
          callback(null, `stored ${path.basename(file)}`);
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The worker's transport: SMTP_URL when set; otherwise a capture server it starts itself, plus the
 * outbox lookup that makes an interrupted send resolvable.
 */
export async function createMailTransport(config: { smtpUrl: string | undefined; dataDir: string }): Promise<MailTransport> {
  if (config.smtpUrl) return createSmtpTransport(config.smtpUrl);
  const capture = await startCaptureServer(config.dataDir);
  const smtp = createSmtpTransport(capture.url, { ignoreTLS: true, hasMessage: (id) => outboxHasMessage(config.dataDir, id) });
  return {
    description: `local capture ${capture.url} → ${outboxDir(config.dataDir)}`,
    send: (mail) => smtp.send(mail),
    hasMessage: (id) => outboxHasMessage(config.dataDir, id),
    async close() {
      await smtp.close();
      await capture.close();
    },
  };
}

export interface OutboxEntry {
  /** The message's name in the outbox (its file name without .eml): what a reader asks for it by. */
  id: string;
  file: string;
  receivedAt: string;
  messageId: string | null;
  subject: string | null;
  to: string | null;
  language: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
  size: number;
}

/** The captured messages, newest first: what `pulse outbox` prints. */
export async function listOutbox(dataDir: string, options: { limit?: number } = {}): Promise<OutboxEntry[]> {
  const dir = outboxDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => ({ name, stat: fs.statSync(path.join(dir, name)) }))
    .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs)
    .slice(0, options.limit ?? 100);
  const out: OutboxEntry[] = [];
  for (const { name, stat } of files) {
    const file = path.join(dir, name);
    try {
      const mail = await simpleParser(fs.readFileSync(file));
      const to = mail.to === undefined ? null : Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to.text;
      const language = mail.headers.get('content-language');
      out.push({
        id: name.slice(0, -'.eml'.length),
        file,
        receivedAt: stat.mtime.toISOString(),
        messageId: mail.messageId ?? null,
        subject: mail.subject ?? null,
        to,
        language: typeof language === 'string' ? language : null,
        attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
        size: stat.size,
      });
    } catch (cause) {
      throw new ReportError('outbox_unreadable', `Cannot read captured message ${file}: ${(cause as Error).message}`, { cause });
    }
  }
  return out;
}

/** Outbox ids are the capture's own names: a hash of the Message-ID, and a counter for duplicates. */
const OUTBOX_ID = /^[0-9a-f]{32}(-\d{1,6})?$/;

export function isOutboxId(value: string): boolean {
  return OUTBOX_ID.test(value);
}

/**
 * One attachment of a captured message, by the message's id and the attachment's position. Only an
 * id of the capture's own form is looked up, so no request can name another file (no `../`).
 */
export async function readOutboxAttachment(dataDir: string, id: string, index: number): Promise<{ filename: string; contentType: string; content: Buffer } | undefined> {
  if (!isOutboxId(id) || !Number.isSafeInteger(index) || index < 0) return undefined;
  const file = path.join(outboxDir(dataDir), `${id}.eml`);
  if (!fs.existsSync(file)) return undefined;
  const mail = await simpleParser(fs.readFileSync(file));
  const attachment = mail.attachments[index];
  if (!attachment) return undefined;
  return { filename: attachment.filename ?? `attachment-${index + 1}`, contentType: attachment.contentType, content: attachment.content };
}
