// Reading and writing pulse.secrets (lib/migrations/006): each value AES-256-GCM encrypted under the
// deployment key (lib/secrets.ts), bound to its name. Names say what a secret is for:
// 'totp:user:42', 'smtp:password'.
import type pg from 'pg';
import { decryptSecret, encryptSecret, type Keyring } from './secrets.ts';

export async function putSecret(db: pg.Pool | pg.ClientBase, keyring: Keyring, name: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO pulse.secrets (name, ciphertext) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = now()`,
    [name, encryptSecret(keyring, value, name)],
  );
}

/** The decrypted value, or null when there is none. Throws SecretsError when it fails to decrypt. */
export async function getSecret(db: pg.Pool | pg.ClientBase, keyring: Keyring, name: string): Promise<string | null> {
  const { rows } = await db.query<{ ciphertext: string }>('SELECT ciphertext FROM pulse.secrets WHERE name = $1', [name]);
  return rows[0] ? decryptSecret(keyring, rows[0].ciphertext, name) : null;
}

export async function deleteSecret(db: pg.Pool | pg.ClientBase, name: string): Promise<void> {
  await db.query('DELETE FROM pulse.secrets WHERE name = $1', [name]);
}
