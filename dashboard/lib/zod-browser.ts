// Zod 4 checks once whether it may compile validators with `new Function('')`. Under the dashboard's
// CSP (no 'unsafe-eval', lib/security-headers.ts) the browser refuses and Zod falls back by itself,
// but the refusal is still a CSP violation and a console error on every page that validates on the
// client. In the browser, tell Zod not to try. (The server keeps the faster compiled validators.)
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });
