import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.snapshotsKeep).toBe(3);
    expect(config.dataDir.endsWith('.pulse')).toBe(true);
  });

  it('names every bad variable in one error', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', PULSE_SNAPSHOTS_KEEP: '0', DATABASE_URL: 'mysql://x', PULSE_TIMEZONE: 'Mars/Base' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT="eighty": must be a whole number');
    expect(message).toContain('PULSE_SNAPSHOTS_KEEP="0": must be between 1 and 100');
    expect(message).toContain('DATABASE_URL=(value hidden): must be a postgres:// or postgresql:// URL');
    expect(message).toContain('PULSE_TIMEZONE="Mars/Base"');
  });

  it('never prints a password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://pulse:s3cr3t@db.example:5432/pulse', SMTP_URL: 'smtp://mailer:hunter2@smtp.example:587' });
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('s3cr3t');
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('db.example');
  });

  it('hides a password given as a query parameter too', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.example/pulse?user=pulse&password=qu3ry-s3cret&sslmode=verify-full' });
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('qu3ry-s3cret');
    expect(printed).toContain('sslmode=verify-full');
  });

  it('names a mistyped sslmode and a missing CA file without printing the URL', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'postgres://pulse:s3cr3t@db.example/pulse?sslmode=verify_full', SOURCE_DATABASE_URL: 'postgres://u:p4ss@src.example/shop?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL=(value hidden): sslmode=verify_full is not one of disable, prefer, require, verify-ca, verify-full, no-verify');
    expect(message).toContain('SOURCE_DATABASE_URL=(value hidden): sslrootcert=/nonexistent/ca.pem: no such file');
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain('p4ss');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SMTP_URL: '', DATABASE_URL: '' }).smtpUrl).toBeUndefined();
  });
});

describe('loadConfig: accounts', () => {
  it('trusts the connection, not X-Forwarded-For, unless told, and links e-mails to PULSE_PUBLIC_URL', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    const behindProxy = loadConfig({ PULSE_TRUST_PROXY: '1', PULSE_PUBLIC_URL: 'https://pulse.example.com/' });
    expect(behindProxy).toMatchObject({ trustProxy: true, publicUrl: 'https://pulse.example.com' });
    expect(() => loadConfig({ PULSE_TRUST_PROXY: 'yes' })).toThrow('PULSE_TRUST_PROXY="yes": must be 0 or 1');
    expect(() => loadConfig({ PULSE_PUBLIC_URL: 'pulse.example.com' })).toThrow(/PULSE_PUBLIC_URL=\(value hidden\): must be an http/);
  });
});
