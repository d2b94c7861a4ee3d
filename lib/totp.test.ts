import { describe, expect, it } from 'vitest';
import { createTotpSecret, formatManualKey, matchTotp, totpCode, totpStep, totpUri } from './totp.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const rfcVectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totpCode', () => {
  it('gives the RFC 6238 Appendix B codes (SHA-1, 8 digits) and their last 6 digits as the app shows them', () => {
    expect(Buffer.from('12345678901234567890').toString('hex')).toBe('3132333435363738393031323334353637383930');
    for (const [seconds, code] of rfcVectors) {
      expect(totpCode(rfcSecret, seconds * 1000, 8), `T=${seconds}`).toBe(code);
      expect(totpCode(rfcSecret, seconds * 1000), `T=${seconds}`).toBe(code.slice(2));
    }
  });
});

describe('matchTotp', () => {
  it('accepts the code of the current step and one step either side, and names the step', () => {
    const now = 1111111111_000;
    const step = totpStep(now);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now), now)).toBe(step);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now - 60_000), now)).toBeNull();
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now + 60_000), now)).toBeNull();
  });

  it('refuses anything but six digits (spaces are forgiven)', () => {
    const now = Date.now();
    const code = totpCode(rfcSecret, now);
    expect(matchTotp(rfcSecret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(totpStep(now));
    expect(matchTotp(rfcSecret, '12345', now)).toBeNull();
    expect(matchTotp(rfcSecret, 'abcdef', now)).toBeNull();
    expect(matchTotp(rfcSecret, `${code}0`, now)).toBeNull();
  });
});

describe('createTotpSecret / totpUri', () => {
  it('makes a fresh 160-bit base32 secret and the otpauth URI apps read', () => {
    const a = createTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(createTotpSecret()).not.toBe(a);
    const uri = totpUri(a, 'ann@example.com');
    expect(uri).toBe(`otpauth://totp/Pulse:ann%40example.com?issuer=Pulse&secret=${a}&algorithm=SHA1&digits=6&period=30`);
    expect(formatManualKey('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});
