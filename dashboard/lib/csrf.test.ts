import { describe, expect, it } from 'vitest';
import { checkSameOrigin, isStateChanging } from './csrf.ts';

const headers = (h: Record<string, string>) => new Headers(h);

describe('checkSameOrigin', () => {
  it('accepts an Origin naming this host, also behind a proxy', () => {
    expect(checkSameOrigin(headers({ host: 'pulse.example:3000', origin: 'http://pulse.example:3000' })).ok).toBe(true);
    expect(checkSameOrigin(headers({ host: '127.0.0.1:3000', 'x-forwarded-host': 'pulse.example', origin: 'https://pulse.example' })).ok).toBe(true);
    expect(checkSameOrigin(headers({ host: 'x', 'x-forwarded-host': 'Pulse.Example, proxy.internal', origin: 'https://pulse.example' })).ok).toBe(true);
  });

  it('refuses another host, another port, a look-alike host and the opaque null origin', () => {
    for (const origin of ['http://evil.example', 'http://pulse.example:8080', 'http://pulse.example.evil.example', 'null', 'not a url']) {
      const result = checkSameOrigin(headers({ host: 'pulse.example', origin }));
      expect(result.ok, origin).toBe(false);
    }
  });

  it('without Origin, trusts only Sec-Fetch-Site same-origin or none', () => {
    expect(checkSameOrigin(headers({ host: 'pulse.example', 'sec-fetch-site': 'same-origin' })).ok).toBe(true);
    expect(checkSameOrigin(headers({ host: 'pulse.example', 'sec-fetch-site': 'none' })).ok).toBe(true);
    expect(checkSameOrigin(headers({ host: 'pulse.example', 'sec-fetch-site': 'same-site' }))).toEqual({ ok: false, reason: 'Sec-Fetch-Site is same-site' });
    expect(checkSameOrigin(headers({ host: 'pulse.example', 'sec-fetch-site': 'cross-site' })).ok).toBe(false);
    const bare = checkSameOrigin(headers({ host: 'pulse.example' }));
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.reason).toMatch(/send Origin/);
  });
});

describe('isStateChanging', () => {
  it('treats everything but GET, HEAD and OPTIONS as a change', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isStateChanging)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'].map(isStateChanging)).toEqual([true, true, true, true, true]);
  });
});
