// API responses get their Content-Security-Policy from dashboard/next.config.ts (static headers, no
// proxy run per request), pages from proxy.ts via lib/security-headers.ts. next.config.ts is compiled
// on its own and cannot import the app's modules, so it repeats the policies: they must not drift.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiContentSecurityPolicy, reportFileContentSecurityPolicy, strictTransportSecurity } from '../dashboard/lib/security-headers.ts';
import { projectRoot } from '../lib/paths.ts';

describe('the API security headers in next.config.ts', () => {
  it('are the policies of lib/security-headers.ts', () => {
    const config = fs.readFileSync(path.join(projectRoot, 'dashboard', 'next.config.ts'), 'utf8');
    const constant = (name: string) => new RegExp(`const ${name} = (["'])(.*?)\\1;`).exec(config)?.[2];
    expect(constant('apiContentSecurityPolicy')).toBe(apiContentSecurityPolicy);
    expect(constant('reportFileContentSecurityPolicy')).toBe(reportFileContentSecurityPolicy);
    expect(constant('strictTransportSecurity')).toBe(strictTransportSecurity);
  });
});
