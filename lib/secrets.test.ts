import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciphertextKeyId, decryptSecret, encryptSecret, generateKey, keyFilePath, loadKeyring, writeKeyFile } from './secrets.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-secrets-'));
}

describe('secrets (AES-256-GCM)', () => {
  it('creates an owner-only key file once and round-trips a secret', () => {
    const dataDir = tempDir();
    const first = loadKeyring({ dataDir });
    expect(first.created).toBe(true);
    expect(fs.statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const again = loadKeyring({ dataDir });
    expect(again.created).toBe(false);
    expect(again.current.id).toBe(first.current.id);
    const sealed = encryptSecret(first, 'JBSWY3DPEHPK3PXP', 'totp:user:1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decryptSecret(again, sealed, 'totp:user:1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a ciphertext moved to another row or altered', () => {
    const ring = loadKeyring({ dataDir: tempDir() });
    const sealed = encryptSecret(ring, 'secret', 'totp:user:1');
    expect(() => decryptSecret(ring, sealed, 'totp:user:2')).toThrow(/integrity/);
    const raw = Buffer.from(sealed.split(':')[2]!, 'base64');
    raw[raw.length - 1]! ^= 1;
    const altered = `${sealed.split(':').slice(0, 2).join(':')}:${raw.toString('base64')}`;
    expect(() => decryptSecret(ring, altered, 'totp:user:1')).toThrow(/integrity/);
  });

  it('decrypts with a previous key after rotation and names a missing key', () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = loadKeyring({ dataDir: tempDir(), secretKey: oldKey });
    const sealed = encryptSecret(before, 'smtp-password', 'smtp');
    const during = loadKeyring({ dataDir: tempDir(), secretKey: newKey, secretKeyPrevious: oldKey });
    expect(ciphertextKeyId(sealed)).not.toBe(during.current.id);
    expect(decryptSecret(during, sealed, 'smtp')).toBe('smtp-password');
    const after = loadKeyring({ dataDir: tempDir(), secretKey: newKey });
    expect(() => decryptSecret(after, sealed, 'smtp')).toThrow(/PULSE_SECRET_KEY_PREVIOUS/);
  });

  it('rejects a key file others can read and a key of the wrong length', () => {
    const dataDir = tempDir();
    writeKeyFile(dataDir, [generateKey()]);
    fs.chmodSync(keyFilePath(dataDir), 0o644);
    expect(() => loadKeyring({ dataDir })).toThrow(/chmod 600/);
    expect(() => loadKeyring({ dataDir, secretKey: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes/);
  });
});
