import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BackupError, CHUNK_BYTES, createDecryptStream, createEncryptStream, newFileKey, unwrapFileKey, wrapFileKey, type FileKey } from './backup-crypto.ts';

/** Feeds `data` in uneven pieces, as a file or a COPY stream would. */
function pieces(data: Buffer): Readable {
  const out: Buffer[] = [];
  for (let i = 0, step = 1; i < data.length; i += step, step = (step * 7 + 13) % 200_000 || 1) out.push(data.subarray(i, i + step));
  return Readable.from(out);
}

async function run(input: Buffer, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(pieces(input), transform, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
  return Buffer.concat(chunks);
}

const encrypt = (key: FileKey, data: Buffer) => run(data, createEncryptStream(key));
const decrypt = (key: FileKey, data: Buffer) => run(data, createDecryptStream(key, 'test.enc'));

describe('createEncryptStream / createDecryptStream', () => {
  it('gives back exactly what went in, for empty, small, chunk-sized and multi-chunk files', async () => {
    const key = newFileKey();
    for (const size of [0, 1, 1000, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 12_345]) {
      const plain = crypto.randomBytes(size);
      const sealed = await encrypt(key, plain);
      // One 16-byte tag per chunk; an empty file still has its (empty) last chunk.
      expect(sealed.length, `size ${size}`).toBe(size + 16 * Math.max(1, Math.ceil(size / CHUNK_BYTES)));
      expect((await decrypt(key, sealed)).equals(plain), `size ${size}`).toBe(true);
    }
  });

  it('refuses a flipped bit, a missing last chunk, a reordered chunk, extra bytes and another key', async () => {
    const key = newFileKey();
    const plain = crypto.randomBytes(2 * CHUNK_BYTES + 500);
    const sealed = await encrypt(key, plain);
    const record = CHUNK_BYTES + 16;
    const flipped = Buffer.from(sealed);
    flipped[record + 10]! ^= 1;
    const cut = sealed.subarray(0, 2 * record);
    const reordered = Buffer.concat([sealed.subarray(record, 2 * record), sealed.subarray(0, record), sealed.subarray(2 * record)]);
    const extra = Buffer.concat([sealed, Buffer.from('x')]);
    for (const [label, bad, k] of [
      ['flipped', flipped, key],
      ['truncated at a chunk boundary', cut, key],
      ['reordered', reordered, key],
      ['extra byte', extra, key],
      ['other key', sealed, newFileKey()],
    ] as const) {
      await expect(decrypt(k, bad), label).rejects.toThrow(BackupError);
    }
  });
});

describe('wrapFileKey', () => {
  it('unwraps only with the same deployment key, backup and file', () => {
    const deployment = crypto.randomBytes(32);
    const fileKey = crypto.randomBytes(32);
    const wrapped = wrapFileKey(deployment, fileKey, 'b1', 'tables/pulse.users.copy.gz.enc');
    expect(unwrapFileKey(deployment, wrapped, 'b1', 'tables/pulse.users.copy.gz.enc').equals(fileKey)).toBe(true);
    expect(() => unwrapFileKey(crypto.randomBytes(32), wrapped, 'b1', 'tables/pulse.users.copy.gz.enc')).toThrow(/does not unwrap/);
    expect(() => unwrapFileKey(deployment, wrapped, 'b1', 'tables/pulse.audit_log.copy.gz.enc')).toThrow(/does not unwrap/);
    expect(() => unwrapFileKey(deployment, wrapped, 'b2', 'tables/pulse.users.copy.gz.enc')).toThrow(/does not unwrap/);
  });
});
