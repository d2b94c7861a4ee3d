// TOTP (RFC 6238) as authenticator apps expect it: HMAC-SHA-1, 6 digits, 30-second steps. Pure
// functions over a base32 secret and a timestamp; storing secrets and refusing a reused step is
// lib/mfa.ts's job. The arithmetic is otpauth's; this module fixes the parameters in one place.
import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';

export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps either side of now that are accepted: clocks drift and people type slowly. */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'Pulse';

/** A new secret: 160 random bits (RFC 4226 recommends the HMAC-SHA-1 output size), base32. */
export function createTotpSecret(): string {
  return new OTPAuth.Secret({ buffer: crypto.randomBytes(20).buffer }).base32;
}

/** The time step a timestamp falls in (seconds since the epoch / 30). */
export function totpStep(timestampMs: number): number {
  return Math.floor(timestampMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCode(secretBase32: string, timestampMs: number, digits: number = TOTP_DIGITS): string {
  return OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secretBase32), algorithm: TOTP_ALGORITHM, digits, period: TOTP_PERIOD_SECONDS, timestamp: timestampMs });
}

/** The step whose code this is (within ±TOTP_WINDOW of now), or null when it matches none. */
export function matchTotp(secretBase32: string, code: string, timestampMs: number): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = OTPAuth.TOTP.validate({
    token,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: timestampMs,
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(timestampMs) + delta;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, account: string): string {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label: account,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The secret in groups of four, for typing it into an app by hand. */
export function formatManualKey(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, '$1 ');
}
