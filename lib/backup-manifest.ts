// The manifest of a backup (`manifest.json` in the backup folder): what is in it, how it was
// encrypted, and a SHA-256 of every file before and after encryption. It is parsed with zod before
// anything in it is used: names that end up in SQL must be plain identifiers, and file paths must stay
// inside the backup folder.
import { z } from 'zod';
import { BackupError, macManifest, macMatches } from './backup-crypto.ts';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'pulse-backup/1';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case identifier');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256');
/** Relative paths in one of the backup's own folders: no `..`, no absolute paths. */
const backupPath = z.string().regex(/^(tables|warehouse|data)\/[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/, 'must be a file inside the backup folder');

export const backupFileSchema = z.strictObject({
  path: backupPath,
  kind: z.enum(['table', 'warehouse', 'data']),
  compression: z.enum(['gzip', 'none']),
  wrappedKey: z.string().min(1),
  noncePrefix: z.string().regex(/^[0-9a-f]{16}$/),
  plainBytes: z.number().int().nonnegative(),
  plainSha256: sha256,
  encryptedBytes: z.number().int().nonnegative(),
  encryptedSha256: sha256,
});
export type BackupFile = z.infer<typeof backupFileSchema>;

export const backupTableSchema = z.strictObject({
  schema: identifier,
  name: identifier,
  columns: z.array(identifier).min(1),
  rows: z.number().int().nonnegative(),
  path: backupPath,
});
export type BackupTable = z.infer<typeof backupTableSchema>;

const manifestBody = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  backupId: z.string().uuid(),
  createdAt: z.string().datetime(),
  pulseVersion: z.string(),
  postgresVersion: z.string(),
  encryption: z.strictObject({
    cipher: z.literal('aes-256-gcm'),
    chunkBytes: z.number().int().positive(),
    keyId: z.string().regex(/^[0-9a-f]{8}$/),
    scheme: z.string(),
  }),
  schemas: z.array(identifier),
  migrations: z.array(z.strictObject({ scope: identifier, version: z.number().int().nonnegative(), name: z.string() })),
  tables: z.array(backupTableSchema),
  sequences: z.array(z.strictObject({ schema: identifier, name: identifier, lastValue: z.number().int(), isCalled: z.boolean() })),
  warehouse: z
    .strictObject({
      file: z.string().regex(/^snapshot-\d+-\d+\.duckdb$/),
      runId: z.number().int(),
      publishedAt: z.string(),
      path: backupPath,
    })
    .nullable(),
  dataFiles: z.array(z.strictObject({ name: z.enum(['demo-password']), path: backupPath })),
  files: z.array(backupFileSchema),
});
export type ManifestBody = z.infer<typeof manifestBody>;
export type Manifest = ManifestBody & { hmac: string };

const manifestSchema = manifestBody.extend({ hmac: z.string().regex(/^[0-9a-f]{64}$/) });

/** The bytes the HMAC covers: the manifest without its `hmac`, as JSON with keys sorted (parsing may reorder them). */
function macBody(body: ManifestBody): string {
  return canonicalJson(body);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sealManifest(body: ManifestBody, deploymentKey: Buffer): Manifest {
  return { ...body, hmac: macManifest(deploymentKey, body.backupId, macBody(body)) };
}

/** Parses manifest.json; the HMAC is checked separately (checkManifestMac) once the key is known. */
export function parseManifest(text: string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BackupError('bad_manifest', `${where} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackupError('bad_manifest', `${where} is not a Pulse backup manifest: ${issue.path.join('.') || 'manifest'}: ${issue.message}`);
  }
  const files = new Set(parsed.data.files.map((f) => f.path));
  const referenced = [...parsed.data.tables.map((t) => t.path), ...(parsed.data.warehouse ? [parsed.data.warehouse.path] : []), ...parsed.data.dataFiles.map((d) => d.path)];
  for (const p of referenced) if (!files.has(p)) throw new BackupError('bad_manifest', `${where} names ${p} without its checksums.`);
  return parsed.data;
}

export function checkManifestMac(manifest: Manifest, deploymentKey: Buffer): void {
  const { hmac, ...body } = manifest;
  const expected = macManifest(deploymentKey, body.backupId, macBody(body));
  if (!macMatches(expected, hmac)) {
    throw new BackupError('tampered', 'The manifest failed its integrity check: it was changed after the backup was written (sizes, checksums or keys no longer match what was signed).');
  }
}
