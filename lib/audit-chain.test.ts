import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEncoding, entryHash, GENESIS_HASH } from './audit-chain.ts';

const entry = {
  id: '1',
  at: '2026-11-23T10:00:00.123456Z',
  userId: null,
  userEmail: 'cli:root',
  role: '',
  action: 'key_rotate',
  target: 'secrets',
  rowCount: '4',
  details: '{"to": "ab12cd34"}',
  outcome: 'success',
  address: null,
};

describe('canonicalEncoding', () => {
  it('encodes each field as hex of its UTF-8 bytes, NULL as ~, after the version and previous hash', () => {
    const encoded = canonicalEncoding(GENESIS_HASH, entry);
    const parts = encoded.split('|');
    expect(parts.slice(0, 2)).toEqual(['pulse-audit-v1', GENESIS_HASH]);
    expect(parts).toHaveLength(13);
    expect(Buffer.from(parts[5]!, 'hex').toString('utf8')).toBe('cli:root');
    expect(parts[4]).toBe('~');
    expect(parts[6]).toBe('');
    expect(entryHash(GENESIS_HASH, entry)).toBe(crypto.createHash('sha256').update(encoded).digest('hex'));
  });

  it('cannot be shifted by a separator inside a field, and any change changes the hash', () => {
    const a = { ...entry, target: 'a|b', action: 'x' };
    const b = { ...entry, target: 'b', action: 'x|a' };
    expect(canonicalEncoding(GENESIS_HASH, a)).not.toBe(canonicalEncoding(GENESIS_HASH, b));
    const base = entryHash(GENESIS_HASH, entry);
    expect(entryHash(GENESIS_HASH, { ...entry, rowCount: '5' })).not.toBe(base);
    expect(entryHash(GENESIS_HASH, { ...entry, userId: '' })).not.toBe(base);
    expect(entryHash('f'.repeat(64), entry)).not.toBe(base);
  });
});
