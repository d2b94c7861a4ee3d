// The deployment keyring (lib/secrets.ts) for the dashboard process, loaded once: TOTP secrets are
// encrypted and decrypted with it. Kept on globalThis for the same reason as the server context.
import 'server-only';
import { loadKeyring, type Keyring } from '../../../lib/secrets.ts';
import { getServerContext } from './context.ts';

const holder = globalThis as typeof globalThis & { __pulseKeyring?: Keyring };

export async function getKeyring(): Promise<Keyring> {
  if (!holder.__pulseKeyring) {
    const { config } = await getServerContext();
    holder.__pulseKeyring = loadKeyring(config);
  }
  return holder.__pulseKeyring;
}
