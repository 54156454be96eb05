import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_COUNT, checkPassword } from './password-policy.js';

describe('checkPassword', () => {
  it('accepts long passphrases of any script', () => {
    expect(checkPassword('correct horse battery staple')).toBeNull();
    expect(checkPassword('длинный пароль на русском')).toBeNull();
    expect(checkPassword('🩺🩺🩺🩺🩺 stethoscope')).toBeNull();
    expect(checkPassword('x'.repeat(9) + 'y'.repeat(200))).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkPassword('🩺🩺🩺🩺🩺🩺🩺🩺🩺')).toBe('too_short');
  });

  it('refuses short, overlong, common and e-mail-based passwords', () => {
    expect(checkPassword('short')).toBe('too_short');
    expect(checkPassword('a'.repeat(257))).toBe('too_long');
    expect(checkPassword('Password123')).toBe('too_common');
    expect(checkPassword('QWERTYUIOP')).toBe('too_common');
    expect(checkPassword('zzzzzzzzzzzz')).toBe('too_common');
    expect(checkPassword('amina.bello-2026', 'Amina.Bello@example.org')).toBe('contains_email');
  });

  it('refuses the common passwords of breach corpora (zxcvbn-ts list), in any case', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThan(1500);
    for (const common of ['1qaz2wsx3edc', 'basketball', 'Manchester', 'iloveyou123', 'q1w2e3r4t5y6', 'christopher'])
      expect(checkPassword(common)).toBe('too_common');
    expect(checkPassword('пароль12345')).toBe('too_common');
    expect(checkPassword('manchester united at dawn')).toBeNull();
  });
});
