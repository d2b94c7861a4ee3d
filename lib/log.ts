// Structured logs (pino) to stderr, so stdout stays clean for `--json` output.
// Connection strings and anything named like a secret are redacted before they are written.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'pulse'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: ['password', '*.password', 'databaseUrl', '*.databaseUrl', 'url', '*.url', 'smtpUrl', '*.smtpUrl', 'token', '*.token', 'secret', '*.secret'],
        censor: '***',
      },
    },
    pino.destination(2),
  );
}
