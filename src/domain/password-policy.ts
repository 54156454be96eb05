/**
 * Password rules after NIST SP 800-63B: length matters, composition rules do not;
 * any Unicode is allowed; commonly used passwords and the account's own e-mail are refused.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

// A few passwords people choose here (Russian keyboard and words, the product's name) that the list
// below does not hold.
const LOCAL = [
  '1234567890',
  '0123456789',
  '12345678910',
  '123456789a',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'qwerty1234',
  'qwerty12345',
  'qwerty123456',
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  'q1w2e3r4t5',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'abcdefghij',
  'abc1234567',
  'a123456789',
  '1111111111',
  '0000000000',
  '9876543210',
  'letmein123',
  'welcome123',
  'administrator',
  'passw0rd123',
  'p@ssw0rd123',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'superman123',
  'starwars123',
  'trustno1234',
  'monkey12345',
  'dragon12345',
  'master12345',
  'michael1234',
  'jennifer123',
  'computer123',
  'changeme123',
  'medadmit123',
  'qazwsxedcrfv',
  'asdfghjkl1',
  'zxcvbnm123',
  'йцукенгшщз',
  'пароль1234',
  'пароль12345',
  'qwertyuiop1',
];

/**
 * Passwords that are refused whatever their length: the 49,233 most used passwords of public breach
 * corpora as kept by zxcvbn-ts (npm `@zxcvbn-ts/language-common`, MIT, list `passwords-common`),
 * of which 1,557 are long enough to pass the length rule, plus the local ones above. Compared in
 * lower case. Loading the list takes about 30 ms once, at start-up.
 */
const COMMON = new Set(
  [...dictionary['passwords-common'], ...LOCAL]
    .filter((p) => [...p].length >= PASSWORD_MIN_LENGTH)
    .map((p) => p.toLowerCase()),
);

/** How many passwords long enough to pass the length rule are refused as common. */
export const COMMON_PASSWORD_COUNT = COMMON.size;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_email';

export function checkPassword(password: string, email?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'too_common';
  if (/^(.)\1+$/u.test(password)) return 'too_common';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'contains_email';
  return null;
}
