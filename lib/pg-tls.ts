// TLS to PostgreSQL. Every connection Pulse opens (lib/pg-pool.ts, lib/postgres.ts, pg-boss, the
// extract's COPY clients, the dashboard) passes DATABASE_URL / SOURCE_DATABASE_URL as
// `connectionString`, so node-postgres's own parser (pg-connection-string 2.x with pg 8.23) applies
// the URL's sslmode, sslrootcert, sslcert and sslkey. What it does with each sslmode, seen in its
// source and in tests/postgres-tls.test.ts:
//
//   disable                  plain connection (refused by a server that requires SSL: pg_hba hostssl)
//   prefer, require,         TLS, and the certificate is verified like verify-full (CA and host name);
//   verify-ca, verify-full   unlike libpq, `require` does NOT accept any certificate, and `prefer`
//                            does not fall back to a plain connection. pg prints a one-time warning
//                            for the first three; pg 9 will switch them to libpq's weaker meaning.
//   no-verify                TLS without any verification (pg's own extension; not for production)
//
// The CA comes from sslrootcert (a file), or else Node's bundled public CAs. Use
// `sslmode=verify-full&sslrootcert=/path/ca.pem` in production: explicit, and the same in pg 9.
//
// This module turns the driver's connection errors into errors that say which variable to change.
import { ConfigError, errorMessage } from './errors.ts';

export const sslModes = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;

/** The TLS-related query parameters of a connection URL (no secrets among them). */
export function sslSettings(url: string): { sslmode: string | null; sslrootcert: string | null; host: string } {
  try {
    const parsed = new URL(url);
    return { sslmode: parsed.searchParams.get('sslmode'), sslrootcert: parsed.searchParams.get('sslrootcert'), host: parsed.searchParams.get('host') ?? parsed.hostname };
  } catch {
    return { sslmode: null, sslrootcert: null, host: '?' };
  }
}

const untrustedCodes = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

/**
 * A ConfigError naming the variable and what to change, for a TLS or SSL-policy failure; null for
 * other errors (the caller translates those as before). Never includes the URL (it holds the password).
 */
export function explainConnectionError(error: unknown, variable: string, url: string): ConfigError | null {
  const code = (error as { code?: string }).code ?? '';
  const message = errorMessage(error);
  const { sslmode, sslrootcert, host } = sslSettings(url);
  if (untrustedCodes.has(code)) {
    const trusted = sslrootcert ? `the CA in sslrootcert (${sslrootcert})` : "a CA this machine trusts (no sslrootcert in the URL, so Node's public CAs)";
    return new ConfigError('pg_tls_untrusted', `PostgreSQL at ${host} presented a certificate not signed by ${trusted}: ${message}. Set sslrootcert in ${variable} to the CA that signed the server's certificate.`, { cause: error });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ConfigError('pg_tls_hostname', `PostgreSQL's certificate is not issued for ${host}, the host in ${variable} (sslmode=${sslmode ?? 'verify-full'} checks the name): ${message}. Connect by a name the certificate lists.`, { cause: error });
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new ConfigError('pg_tls_expired', `PostgreSQL at ${host} presented a certificate outside its validity dates: ${message}.`, { cause: error });
  }
  if (/server does not support SSL/i.test(message)) {
    return new ConfigError('pg_tls_unsupported', `PostgreSQL at ${host} does not accept SSL, but ${variable} asks for it (sslmode=${sslmode ?? 'set'}). Enable ssl on the server, or use sslmode=disable only on a trusted local network.`, { cause: error });
  }
  if (/no pg_hba\.conf entry .*no encryption/i.test(message)) {
    return new ConfigError('pg_ssl_required', `PostgreSQL at ${host} refuses connections without SSL (${message}). Add sslmode=verify-full&sslrootcert=/path/to/ca.pem to ${variable}.`, { cause: error });
  }
  if (code === 'ENOENT' && /sslrootcert|sslcert|sslkey|\.pem|\.crt|\.key/.test(message)) {
    return new ConfigError('pg_tls_file_missing', `A certificate file named in ${variable} cannot be read: ${message}.`, { cause: error });
  }
  return null;
}
