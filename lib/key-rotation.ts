// Key rotation (`pulse keys rotate`): every row of pulse.secrets re-encrypted under a new key, in one
// transaction, audited. Two ways the keys come in (lib/secrets.ts):
//
// - Key file (the demo; no PULSE_SECRET_KEY): a new key is generated and written into the key file
//   beside the old one, the rows are re-encrypted, then the old key is dropped from the file. A crash
//   at any point leaves every row decryptable by the file: before the commit the rows are under the
//   old key (still in the file), after it under the new one (already in the file). Run again after a
//   crash, it finishes that rotation instead of starting another one.
// - PULSE_SECRET_KEY: the operator puts the new key in PULSE_SECRET_KEY and the old one in
//   PULSE_SECRET_KEY_PREVIOUS, runs rotate, then removes PULSE_SECRET_KEY_PREVIOUS. Running it again
//   re-encrypts nothing.
//
// Secrets written meanwhile by another process holding the old keyring would land under the old key:
// rotation locks pulse.secrets against writes for its transaction, and processes re-read the key file
// per operation (loadKeyring), but the dashboard and worker should be restarted after a rotation
// with PULSE_SECRET_KEY, as they read the environment once.
import type pg from 'pg';
import { writeAudit, type AuditActor } from './audit.ts';
import { ciphertextKeyId, decryptSecret, encryptSecret, generateKey, keyFilePath, loadKeyring, SecretsError, writeKeyFile, type Keyring } from './secrets.ts';

export interface RotationConfig {
  dataDir: string;
  secretKey?: string | undefined;
  secretKeyPrevious?: string | undefined;
}

export interface RotationResult {
  /** 'PULSE_SECRET_KEY' or the key file's path. */
  source: string;
  /** The key id every secret is now encrypted with. */
  currentKeyId: string;
  /** Key ids the re-encrypted rows were under before. */
  fromKeyIds: string[];
  reencrypted: number;
  total: number;
  /** The key file held two keys: a rotation that was interrupted has been finished. */
  resumed: boolean;
  /** What the operator still has to do (e.g. remove PULSE_SECRET_KEY_PREVIOUS). */
  nextStep: string | null;
}

// One rotation at a time, across processes (the key file is written outside the transaction).
const ROTATION_LOCK = 0x70756c73656b; // "pulsek"

export async function rotateKeys(pool: pg.Pool, config: RotationConfig, actor: AuditActor): Promise<RotationResult> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [ROTATION_LOCK]);
    try {
      return config.secretKey ? await rotateFromEnvironment(pool, config, actor) : await rotateKeyFile(pool, config, actor);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [ROTATION_LOCK]);
    }
  } catch (error) {
    await writeAudit(pool, { ...actor, action: 'key_rotate', target: 'secrets', outcome: 'failure', details: { error: error instanceof SecretsError ? error.code : 'error' } }).catch(() => undefined);
    throw error;
  } finally {
    lock.release();
  }
}

async function rotateFromEnvironment(pool: pg.Pool, config: RotationConfig, actor: AuditActor): Promise<RotationResult> {
  const keyring = loadKeyring(config);
  const done = await reencryptAll(pool, keyring, actor, false);
  return {
    ...done,
    resumed: false,
    nextStep: config.secretKeyPrevious ? 'Every secret is under PULSE_SECRET_KEY now: remove PULSE_SECRET_KEY_PREVIOUS from the configuration and restart Pulse.' : null,
  };
}

async function rotateKeyFile(pool: pg.Pool, config: RotationConfig, actor: AuditActor): Promise<RotationResult> {
  const file = keyFilePath(config.dataDir);
  const existing = loadKeyring(config);
  // Two keys in the file: a rotation stopped before it dropped the old key. Finish that one.
  const resumed = existing.byId.size > 1;
  let keyring = existing;
  if (!resumed) {
    const fresh = generateKey();
    writeKeyFile(config.dataDir, [fresh, existing.current.key.toString('base64')]);
    keyring = loadKeyring(config);
  }
  const done = await reencryptAll(pool, keyring, actor, resumed);
  // Only now may the old key go: every row decrypts with the current one.
  writeKeyFile(config.dataDir, [keyring.current.key.toString('base64')]);
  return { ...done, source: file, resumed, nextStep: null };
}

/** Re-encrypts every row not under the current key, in one transaction with its audit entry. */
async function reencryptAll(pool: pg.Pool, keyring: Keyring, actor: AuditActor, resumed: boolean): Promise<Omit<RotationResult, 'resumed' | 'nextStep'>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Writers wait until the rotation commits (readers do not).
    await client.query('LOCK TABLE pulse.secrets IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ name: string; ciphertext: string }>('SELECT name, ciphertext FROM pulse.secrets ORDER BY name');
    const from = new Set<string>();
    let reencrypted = 0;
    for (const row of rows) {
      const id = ciphertextKeyId(row.ciphertext);
      if (id === keyring.current.id) continue;
      // Decrypting first proves the row is readable; a row under an unknown key stops everything
      // (rolled back) with SecretsError naming the key, rather than being skipped.
      const plaintext = decryptSecret(keyring, row.ciphertext, row.name);
      await client.query('UPDATE pulse.secrets SET ciphertext = $2, updated_at = now() WHERE name = $1', [row.name, encryptSecret(keyring, plaintext, row.name)]);
      from.add(id ?? 'unknown');
      reencrypted += 1;
    }
    await writeAudit(client, {
      ...actor,
      action: 'key_rotate',
      target: 'secrets',
      rowCount: reencrypted,
      details: { source: keyring.source === 'PULSE_SECRET_KEY' ? 'PULSE_SECRET_KEY' : 'key file', to: keyring.current.id, from: [...from], total: rows.length, resumed },
    });
    await client.query('COMMIT');
    return { source: keyring.source, currentKeyId: keyring.current.id, fromKeyIds: [...from], reencrypted, total: rows.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
