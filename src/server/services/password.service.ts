import { type Algorithm, hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package exports it as an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2 as Algorithm;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Spends the time of one verification, so unknown accounts answer as slowly as known ones. */
  burn(password: string): Promise<void>;
}

/** Argon2id; production memory is 47104 KiB, t=1, p=1 (OWASP). Tests pass a cheaper memory cost. */
export function createPasswordHasher(memoryKib: number): PasswordHasher {
  const options = { algorithm: ARGON2ID, memoryCost: memoryKib, timeCost: 1, parallelism: 1 };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password.normalize('NFC'), options),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password.normalize('NFC'));
      } catch {
        return false;
      }
    },
    async burn(password) {
      dummy ??= hash('not a real account password', options);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
