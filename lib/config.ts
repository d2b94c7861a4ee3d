// Configuration: environment variables (and a `.env` file in the project folder), validated once
// with zod. Every bad variable is named in one error, so a typo is found in one try.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { projectRoot } from './paths.ts';
import { sslModes } from './pg-tls.ts';

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL')
  .superRefine((value, ctx) => {
    // TLS settings (lib/pg-tls.ts): a typo in sslmode or a missing CA file is named now, not at the
    // first connection. Messages never repeat the URL (it holds the password).
    let params: URLSearchParams;
    try {
      params = new URL(value).searchParams;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
      return;
    }
    const mode = params.get('sslmode');
    if (mode !== null && !(sslModes as readonly string[]).includes(mode)) ctx.addIssue({ code: 'custom', message: `sslmode=${mode} is not one of ${sslModes.join(', ')}` });
    for (const name of ['sslrootcert', 'sslcert', 'sslkey']) {
      const file = params.get(name);
      if (file !== null && !fs.existsSync(file)) ctx.addIssue({ code: 'custom', message: `${name}=${file}: no such file` });
    }
  });

// A five-field cron expression: pg-boss schedules have one-minute granularity.
const cron = z.string().refine((value) => value.trim().split(/\s+/).length === 5, 'must be a 5-field cron expression');

const timeZone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai or UTC');

const intInRange = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

// A 256-bit AES key as base64 (`openssl rand -base64 32`).
const secretKey = z.string().refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value.trim()), 'must be 32 random bytes in base64 (openssl rand -base64 32)');

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  SOURCE_DATABASE_URL: postgresUrl.optional(),
  PULSE_SOURCE_MAPPING: z.string().optional(),
  PULSE_DATA_DIR: z.string().optional(),
  PULSE_PG_PORT: intInRange(1024, 65535).default(54329),
  PORT: intInRange(1, 65535).default(3000),
  SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\//.test(value), 'must be an smtp:// or smtps:// URL')
    .optional(),
  PULSE_REPORTING_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code').default('CNY'),
  PULSE_SNAPSHOTS_KEEP: intInRange(1, 100).default(3),
  PULSE_SYNC_CRON: cron.default('*/15 * * * *'),
  PULSE_FULL_SYNC_CRON: cron.default('0 2 * * *'),
  PULSE_TIMEZONE: timeZone.default('UTC'),
  PULSE_SYNC_OVERLAP_SECONDS: intInRange(0, 86_400).default(300),
  PULSE_DUCKDB_MEMORY_LIMIT: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, "must look like '600MB' or '2GB'").default('600MB'),
  PULSE_SEED_CUSTOMERS: intInRange(1, 50_000_000).default(20_000),
  PULSE_JOB_HEARTBEAT_SECONDS: intInRange(10, 3600).default(30),
  PULSE_ATTRIBUTION_DAYS: intInRange(1, 365).default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PULSE_API_RATE_LIMIT: intInRange(1, 100_000).default(60),
  PULSE_SECRET_KEY: secretKey.optional(),
  PULSE_SECRET_KEY_PREVIOUS: secretKey.optional(),
  PULSE_TRUST_PROXY: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  PULSE_PUBLIC_URL: z
    .string()
    .refine((value) => /^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(value), 'must be an http:// or https:// URL such as https://pulse.example.com')
    .optional(),
  PULSE_BACKUP_CRON: cron.optional(),
  PULSE_BACKUP_DIR: z.string().optional(),
  PULSE_BACKUP_KEEP: intInRange(1, 1000).default(7),
});

export interface PulseConfig {
  /** Pulse's own database (state, queues). Unset: the embedded PostgreSQL under the data folder. */
  databaseUrl: string | undefined;
  /** The operational database the extract reads. Defaults to Pulse's own database. */
  sourceDatabaseUrl: string | undefined;
  sourceMappingFile: string;
  dataDir: string;
  embeddedPgPort: number;
  port: number;
  smtpUrl: string | undefined;
  reportingCurrency: string;
  snapshotsKeep: number;
  syncCron: string;
  fullSyncCron: string;
  timeZone: string;
  syncOverlapSeconds: number;
  duckdbMemoryLimit: string;
  seedCustomers: number;
  /** A job whose worker stops sending heartbeats for this long is retried elsewhere. */
  jobHeartbeatSeconds: number;
  /** Days after a campaign's start whose conversions and orders count as its results. */
  attributionDays: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Requests per minute each API token may make to /api/v1 (in-process sliding window). */
  apiRateLimit: number;
  /**
   * The key that encrypts secrets Pulse stores (lib/secrets.ts). Unset: a key file generated in the
   * data folder on first use. `secretKeyPrevious` is only read by `pulse keys rotate`.
   */
  secretKey: string | undefined;
  secretKeyPrevious: string | undefined;
  /**
   * Trust X-Forwarded-For for the client's address (sign-in throttling, audit log). Only behind a
   * reverse proxy that sets it: otherwise any client could claim any address.
   */
  trustProxy: boolean;
  /** The address people open the dashboard at, for links in e-mails (password reset, invitations). */
  publicUrl: string;
  /** Scheduled backups (`pulse worker`): unset = none. */
  backupCron: string | undefined;
  /** Where scheduled backups go, one folder each. */
  backupDir: string;
  /** Scheduled backups kept; older ones are deleted after each new one. */
  backupKeep: number;
}

export const defaultMappingFile = path.join(projectRoot, 'ingest', 'mappings', 'demo.json');

/**
 * Validates the environment. `env` defaults to process.env plus the project's `.env` file
 * (real environment variables win over the file).
 */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): PulseConfig {
  // Empty strings mean "unset": a `.env` line `SMTP_URL=` should not be an invalid URL.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const shown = isSecretName(name) ? '(value hidden)' : JSON.stringify(cleaned[name]);
      return `  ${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError('invalid_config', `Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    sourceDatabaseUrl: e.SOURCE_DATABASE_URL,
    sourceMappingFile: e.PULSE_SOURCE_MAPPING ? path.resolve(projectRoot, e.PULSE_SOURCE_MAPPING) : defaultMappingFile,
    dataDir: path.resolve(projectRoot, e.PULSE_DATA_DIR ?? '.pulse'),
    embeddedPgPort: e.PULSE_PG_PORT,
    port: e.PORT,
    smtpUrl: e.SMTP_URL,
    reportingCurrency: e.PULSE_REPORTING_CURRENCY,
    snapshotsKeep: e.PULSE_SNAPSHOTS_KEEP,
    syncCron: e.PULSE_SYNC_CRON,
    fullSyncCron: e.PULSE_FULL_SYNC_CRON,
    timeZone: e.PULSE_TIMEZONE,
    syncOverlapSeconds: e.PULSE_SYNC_OVERLAP_SECONDS,
    duckdbMemoryLimit: e.PULSE_DUCKDB_MEMORY_LIMIT,
    seedCustomers: e.PULSE_SEED_CUSTOMERS,
    jobHeartbeatSeconds: e.PULSE_JOB_HEARTBEAT_SECONDS,
    attributionDays: e.PULSE_ATTRIBUTION_DAYS,
    logLevel: e.LOG_LEVEL,
    apiRateLimit: e.PULSE_API_RATE_LIMIT,
    secretKey: e.PULSE_SECRET_KEY?.trim(),
    secretKeyPrevious: e.PULSE_SECRET_KEY_PREVIOUS?.trim(),
    trustProxy: e.PULSE_TRUST_PROXY === '1',
    // Never taken from a request's Host header: a forged Host would put an attacker's site in a reset link.
    publicUrl: (e.PULSE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    backupCron: e.PULSE_BACKUP_CRON,
    backupDir: path.resolve(projectRoot, e.PULSE_BACKUP_DIR ?? path.join(e.PULSE_DATA_DIR ?? '.pulse', 'backups')),
    backupKeep: e.PULSE_BACKUP_KEEP,
  };
}

function readEnvironment(): Record<string, string | undefined> {
  const file = path.join(projectRoot, '.env');
  const fromFile = fs.existsSync(file) ? dotenv.parse(fs.readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

function isSecretName(name: string): boolean {
  return /URL|PASSWORD|SECRET|KEY|TOKEN/i.test(name);
}

/** Query parameters that carry a secret in a connection URL (pg reads `?password=` too). */
const secretParams = /^(password|sslpassword|pass|secret|token|api[_-]?key)$/i;

/** Replaces the password in a connection URL, for printing: the user part and any secret query parameter. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) if (secretParams.test(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return '(unparseable URL hidden)';
  }
}

/** The effective configuration with secrets redacted: what `pulse config` prints. */
export function describeConfig(config: PulseConfig): Record<string, string | number> {
  return {
    DATABASE_URL: redactUrl(config.databaseUrl) ?? `(embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}, port ${config.embeddedPgPort})`,
    SOURCE_DATABASE_URL: redactUrl(config.sourceDatabaseUrl) ?? '(same as DATABASE_URL)',
    PULSE_SOURCE_MAPPING: config.sourceMappingFile,
    PULSE_DATA_DIR: config.dataDir,
    PULSE_PG_PORT: config.embeddedPgPort,
    PORT: config.port,
    SMTP_URL: redactUrl(config.smtpUrl) ?? '(local capture in the data folder)',
    PULSE_REPORTING_CURRENCY: config.reportingCurrency,
    PULSE_SNAPSHOTS_KEEP: config.snapshotsKeep,
    PULSE_SYNC_CRON: config.syncCron,
    PULSE_FULL_SYNC_CRON: config.fullSyncCron,
    PULSE_TIMEZONE: config.timeZone,
    PULSE_SYNC_OVERLAP_SECONDS: config.syncOverlapSeconds,
    PULSE_DUCKDB_MEMORY_LIMIT: config.duckdbMemoryLimit,
    PULSE_SEED_CUSTOMERS: config.seedCustomers,
    PULSE_JOB_HEARTBEAT_SECONDS: config.jobHeartbeatSeconds,
    PULSE_ATTRIBUTION_DAYS: config.attributionDays,
    LOG_LEVEL: config.logLevel,
    PULSE_API_RATE_LIMIT: `${config.apiRateLimit} requests per minute per API token`,
    PULSE_SECRET_KEY: config.secretKey ? '(set, hidden)' : `(key file ${path.join(config.dataDir, 'keys.json')})`,
    PULSE_SECRET_KEY_PREVIOUS: config.secretKeyPrevious ? '(set, hidden)' : '(unset)',
    PULSE_TRUST_PROXY: config.trustProxy ? '1 (client address from X-Forwarded-For)' : '0 (client address from the connection)',
    PULSE_PUBLIC_URL: config.publicUrl,
    PULSE_BACKUP_CRON: config.backupCron ?? '(unset: no scheduled backups)',
    PULSE_BACKUP_DIR: config.backupDir,
    PULSE_BACKUP_KEEP: config.backupKeep,
  };
}
