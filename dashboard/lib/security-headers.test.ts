import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isHttps } from './security-headers.ts';

describe('contentSecurityPolicy', () => {
  it('allows scripts only by nonce, never inline or eval in production', () => {
    const csp = contentSecurityPolicy('abc123==', { https: false, development: false });
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(scriptSrc).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy('n', { https: true, development: false })).toContain('upgrade-insecure-requests');
    // next dev needs eval for its error overlay; production never gets it.
    expect(contentSecurityPolicy('n', { https: false, development: true })).toContain("'unsafe-eval'");
  });
});

describe('isHttps', () => {
  it('believes the first X-Forwarded-Proto, else the request protocol', () => {
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }), 'http:')).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https, http' }), 'http:')).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'http' }), 'https:')).toBe(false);
    expect(isHttps(new Headers(), 'https:')).toBe(true);
    expect(isHttps(new Headers(), 'http:')).toBe(false);
  });
});
