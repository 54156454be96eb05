import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy.js';

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
});
