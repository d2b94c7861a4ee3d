// The encryption of a backup (lib/backup.ts), written down in every manifest too:
//
// - Each file gets its own random 256-bit key. That key is wrapped (AES-256-GCM) under the deployment
//   key (lib/secrets.ts), with `pulse-backup:<backupId>:<path>` as associated data, so a wrapped key
//   moved to another file or another backup does not unwrap.
// - A file is sealed in chunks of 1 MiB of plaintext, each its own AES-256-GCM message: nonce = the
//   file's random 8-byte prefix ‖ the chunk's 32-bit index, associated data = one byte saying whether
//   it is the last chunk (the last one is always written, possibly empty). Every chunk is checked
//   before a byte of it is handed on, a reordered chunk fails (its index is in the nonce) and a cut-off
//   file fails (its last chunk is missing). Streaming: one chunk in memory at a time, whatever the size.
// - The manifest is authenticated with HMAC-SHA-256 under a key derived from the deployment key
//   (HKDF-SHA-256, salt = backup id), so a changed size, checksum or wrapped key is detected.
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PulseError } from './errors.ts';

export class BackupError extends PulseError {}

export const CHUNK_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
const IV_BYTES = 12;
export const NONCE_PREFIX_BYTES = 8;

export const ENCRYPTION_SCHEME =
  'Per file: a random 256-bit key, wrapped with AES-256-GCM under the deployment key (associated data "pulse-backup:<backupId>:<path>"). ' +
  'Content: chunks of 1 MiB plaintext, each AES-256-GCM with nonce = 8-byte file prefix + 32-bit big-endian chunk index and associated data = 1 byte (1 on the last chunk, which is always present). ' +
  'Tables are gzip-compressed before encryption. Manifest: HMAC-SHA-256 with a key from HKDF-SHA-256(deployment key, salt = backupId, info "pulse-backup-manifest").';

export interface FileKey {
  key: Buffer;
  noncePrefix: Buffer;
}

export function newFileKey(): FileKey {
  return { key: crypto.randomBytes(32), noncePrefix: crypto.randomBytes(NONCE_PREFIX_BYTES) };
}

function wrapAad(backupId: string, file: string): Buffer {
  return Buffer.from(`pulse-backup:${backupId}:${file}`, 'utf8');
}

/** The file key sealed under the deployment key: base64(iv ‖ tag ‖ ciphertext). */
export function wrapFileKey(deploymentKey: Buffer, fileKey: Buffer, backupId: string, file: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', deploymentKey, iv);
  cipher.setAAD(wrapAad(backupId, file));
  const body = Buffer.concat([cipher.update(fileKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unwrapFileKey(deploymentKey: Buffer, wrapped: string, backupId: string, file: string): Buffer {
  const raw = Buffer.from(wrapped, 'base64');
  if (raw.length !== IV_BYTES + TAG_BYTES + 32) throw new BackupError('tampered', `The key of ${file} in the manifest is malformed.`);
  const decipher = crypto.createDecipheriv('aes-256-gcm', deploymentKey, raw.subarray(0, IV_BYTES));
  decipher.setAAD(wrapAad(backupId, file));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new BackupError('wrong_key', `The key of ${file} does not unwrap with this deployment key.`, { cause: error });
  }
}

export function manifestMacKey(deploymentKey: Buffer, backupId: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', deploymentKey, Buffer.from(backupId, 'utf8'), Buffer.from('pulse-backup-manifest', 'utf8'), 32));
}

export function macManifest(deploymentKey: Buffer, backupId: string, body: string): string {
  return crypto.createHmac('sha256', manifestMacKey(deploymentKey, backupId)).update(body, 'utf8').digest('hex');
}

export function macMatches(expectedHex: string, actualHex: string): boolean {
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(actualHex, 'hex');
  return a.length === b.length && a.length > 0 && crypto.timingSafeEqual(a, b);
}

function nonceFor(prefix: Buffer, index: number): Buffer {
  const nonce = Buffer.alloc(IV_BYTES);
  prefix.copy(nonce, 0, 0, NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  return nonce;
}

/** Collects incoming buffers and hands out exact-sized pieces without copying more than needed. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.parts = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }
}

/** Plaintext in, sealed chunks out. */
export function createEncryptStream(fileKey: FileKey): Transform {
  const queue = new ByteQueue();
  let index = 0;
  const seal = (data: Buffer, last: boolean): Buffer => {
    const cipher = crypto.createCipheriv('aes-256-gcm', fileKey.key, nonceFor(fileKey.noncePrefix, index++));
    cipher.setAAD(Buffer.from([last ? 1 : 0]));
    return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      queue.push(chunk);
      // A full chunk is sealed as "not last" only once more bytes follow it.
      while (queue.length > CHUNK_BYTES) this.push(seal(queue.take(CHUNK_BYTES), false));
      callback();
    },
    flush(callback: TransformCallback) {
      this.push(seal(queue.take(queue.length), true));
      callback();
    },
  });
}

/** Sealed chunks in, checked plaintext out; fails on any altered, reordered, missing or extra byte. */
export function createDecryptStream(fileKey: FileKey, file: string): Transform {
  const queue = new ByteQueue();
  const record = CHUNK_BYTES + TAG_BYTES;
  let index = 0;
  let ended = false;
  const open = (data: Buffer, last: boolean): Buffer => {
    const decipher = crypto.createDecipheriv('aes-256-gcm', fileKey.key, nonceFor(fileKey.noncePrefix, index));
    decipher.setAAD(Buffer.from([last ? 1 : 0]));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new BackupError('tampered', `${file} failed its integrity check at chunk ${index} (altered, truncated or not from this backup).`, { cause: error });
    } finally {
      index++;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (ended) return callback(new BackupError('tampered', `${file} has bytes after its last chunk.`));
      queue.push(chunk);
      try {
        while (queue.length > record) this.push(open(queue.take(record), false));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      ended = true;
      if (queue.length < TAG_BYTES) return callback(new BackupError('tampered', `${file} is truncated (its last chunk is missing).`));
      try {
        this.push(open(queue.take(queue.length), true));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** Passes bytes through, counting them, hashing them (SHA-256) and, optionally, counting newlines (rows of COPY text). */
export class Measure extends Transform {
  bytes = 0;
  newlines = 0;
  private readonly hash = crypto.createHash('sha256');
  private digest: string | undefined;

  constructor(private readonly options: { countLines?: boolean; onChunk?: (measure: Measure) => void } = {}) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.options.countLines) {
      // COPY's text format escapes newlines inside values, so each 0x0A ends one row.
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines++;
    }
    this.options.onChunk?.(this);
    callback(null, chunk);
  }

  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}
