// Secrets Pulse stores in PostgreSQL (TOTP secrets, SMTP passwords, integration credentials) are
// encrypted with AES-256-GCM under a per-deployment key. The key never goes into PostgreSQL: it
// comes from PULSE_SECRET_KEY in production, or from a key file in the data folder (owner-only
// permissions) that is generated on first use, so `npm run demo` works with nothing configured.
//
// Ciphertext format: `pulse1:<keyId>:<base64(iv ‖ tag ‖ ciphertext)>`. The key id (the first 8 hex
// digits of the key's SHA-256) says which key of the keyring decrypts it, so a rotation can
// re-encrypt rows one by one while both keys are known. The caller passes "associated data" that
// binds a ciphertext to its row (e.g. `totp:user:42`): a ciphertext copied into another row does
// not decrypt.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PulseError } from './errors.ts';

export class SecretsError extends PulseError {}

export interface Keyring {
  /** The key new ciphertexts are written with. */
  current: { id: string; key: Buffer };
  /** Every key that may still decrypt something (includes the current one). */
  byId: Map<string, Buffer>;
  /** Where the keys came from, for messages: 'PULSE_SECRET_KEY' or the key file's path. */
  source: string;
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

const PREFIX = 'pulse1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyId(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys.json');
}

/** A fresh random 256-bit key as base64 (the PULSE_SECRET_KEY format). */
export function generateKey(): string {
  return crypto.randomBytes(32).toString('base64');
}

function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new SecretsError('bad_key', `${name} must be 32 bytes in base64 (openssl rand -base64 32); it decodes to ${key.length} bytes.`);
  return key;
}

function ringOf(keys: Buffer[], source: string): Keyring {
  const byId = new Map(keys.map((key) => [keyId(key), key] as const));
  const current = keys[0]!;
  return { current: { id: keyId(current), key: current }, byId, source };
}

/**
 * The keyring: PULSE_SECRET_KEY (+ PULSE_SECRET_KEY_PREVIOUS) when configured, else the data folder's
 * key file, created with mode 0600 when missing (`created` says so, for the demo to tell the user).
 */
export function loadKeyring(config: { dataDir: string; secretKey?: string; secretKeyPrevious?: string }): Keyring & { created: boolean } {
  if (config.secretKey) {
    const keys = [decodeKey(config.secretKey, 'PULSE_SECRET_KEY')];
    if (config.secretKeyPrevious) keys.push(decodeKey(config.secretKeyPrevious, 'PULSE_SECRET_KEY_PREVIOUS'));
    return { ...ringOf(keys, 'PULSE_SECRET_KEY'), created: false };
  }
  const file = keyFilePath(config.dataDir);
  let created = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const key = generateKey();
    const content: KeyFile = { current: keyId(decodeKey(key, file)), keys: { [keyId(decodeKey(key, file))]: key } };
    try {
      // 'wx': two processes starting at once must not both write a different key.
      fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { ...readKeyFile(file), created };
}

/** A key file (keys.json) anywhere, e.g. the copy an operator kept for restoring a backup. */
export function readKeyFile(file: string): Keyring {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new SecretsError('key_file_permissions', `${file} must be readable by its owner only (chmod 600 ${file}); it is ${mode.toString(8)}.`);
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    throw new SecretsError('bad_key_file', `${file} is not a Pulse key file: ${(error as Error).message}`, { cause: error });
  }
  const current = parsed.keys?.[parsed.current];
  if (!current) throw new SecretsError('bad_key_file', `${file} names current key ${parsed.current}, which it does not contain.`);
  const others = Object.entries(parsed.keys)
    .filter(([id]) => id !== parsed.current)
    .map(([, key]) => decodeKey(key, file));
  return { ...ringOf([decodeKey(current, file), ...others], file) };
}

/** Writes a key file holding `keys` (the first is current). Used by key rotation. */
export function writeKeyFile(dataDir: string, keys: string[]): void {
  const file = keyFilePath(dataDir);
  const content: KeyFile = { current: keyId(decodeKey(keys[0]!, file)), keys: Object.fromEntries(keys.map((key) => [keyId(decodeKey(key, file)), key])) };
  const temporary = `${file}.${process.pid}.tmp`;
  // Flushed before the rename and the folder after it: a power cut during a rotation must leave the
  // old file or the new one, never an empty one (the keys are the only way to read pulse.secrets).
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(content, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  const dir = fs.openSync(dataDir, 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

export function encryptSecret(keyring: Keyring, plaintext: string, associatedData: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}:${keyring.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** The key id a ciphertext was written with (for rotation: which rows still need re-encrypting). */
export function ciphertextKeyId(ciphertext: string): string | null {
  const parts = ciphertext.split(':');
  return parts.length === 3 && parts[0] === PREFIX ? parts[1]! : null;
}

export function decryptSecret(keyring: Keyring, ciphertext: string, associatedData: string): string {
  const parts = ciphertext.split(':');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new SecretsError('bad_ciphertext', 'A stored secret is not in Pulse\'s encrypted format.');
  const key = keyring.byId.get(parts[1]!);
  if (!key) throw new SecretsError('unknown_key', `A stored secret was encrypted with key ${parts[1]}, which ${keyring.source} does not hold (was the key rotated without PULSE_SECRET_KEY_PREVIOUS?).`);
  const raw = Buffer.from(parts[2]!, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretsError('bad_ciphertext', 'A stored secret is truncated.');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretsError('tampered', 'A stored secret failed its integrity check (altered, or moved to another row).', { cause: error });
  }
}
