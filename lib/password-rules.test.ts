import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-rules.ts';

describe('checkPassword', () => {
  it('names the rule a password breaks', async () => {
    expect(await checkPassword('short')).toMatchObject({ rule: 'too_short', message: 'must be at least 12 characters' });
    expect(await checkPassword('x'.repeat(201))).toMatchObject({ rule: 'too_long' });
    expect(await checkPassword('passwordpassword')).toMatchObject({ rule: 'common' });
    expect(await checkPassword('QWERTY123456')).toMatchObject({ rule: 'common' });
    expect(await checkPassword('ann.lee@example.com', 'Ann.Lee@example.com')).toMatchObject({ rule: 'email' });
    expect(await checkPassword('my-name-is-ann.lee-ok', 'ann.lee@example.com')).toMatchObject({ rule: 'email' });
    expect(await checkPassword('bo@example.com-2026', 'bo@example.com')).toMatchObject({ rule: 'email' });
    expect(await checkPassword('correct horse battery', 'ann.lee@example.com')).toBeNull();
    // Characters, not bytes: a 12-character Chinese passphrase is long enough.
    expect(await checkPassword('春眠不觉晓处处闻啼鸟夜来风')).toBeNull();
  });
});
