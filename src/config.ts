import path from 'node:path';
import { DOCUMENT_KINDS, type DocumentKind } from './domain/dossier/dossier.schema.js';

/** A key-encryption key for stored files; the key bytes stay out of JSON and inspection. */
export interface EncryptionKey {
  readonly id: string;
  readonly material: Buffer;
}

/** Every environment variable the system reads, with its default. Documented in README.md. */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  argon2MemoryKib: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxPerAccount: number;
  loginMaxPerAddress: number;
  loginWindowMinutes: number;
  bodyLimitBytes: number;
  uploadMaxBytes: number;
  uploadConcurrency: number;
  maxInFlight: number;
  logLevel: string;
  seedDemo: boolean;
  trustProxy: boolean;
  webDir: string;
  /** Days after an applicant's last activity before their personal data is erased; 0 turns erasure off. */
  retentionDays: number;
  /**
   * FILE_ENCRYPTION_KEYS: the first is current (new files), the others only read older files.
   * Unset: a development key is generated under DATA_DIR/keys (see files/encryption.ts).
   */
  fileEncryptionKeys: EncryptionKey[] | undefined;
  /** Document kinds stored encrypted (special-category data). */
  encryptedDocumentKinds: DocumentKind[];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** `keyId:base64`, the key bytes hidden from JSON.stringify and util.inspect. */
export function encryptionKey(id: string, material: Buffer): EncryptionKey {
  const key = { id } as EncryptionKey;
  Object.defineProperty(key, 'material', { value: material, enumerable: false });
  return key;
}

/** Parses `keyId:base64-of-32-bytes[,keyId:…]`; never echoes key material in an error. */
export function parseEncryptionKeys(raw: string, name = 'FILE_ENCRYPTION_KEYS'): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  for (const [index, entry] of raw.split(',').entries()) {
    const item = entry.trim();
    const colon = item.indexOf(':');
    const id = colon > 0 ? item.slice(0, colon) : '';
    if (!KEY_ID.test(id)) {
      throw new Error(
        `${name}: entry ${index + 1} must be keyId:base64 (key id of letters, digits, ".", "_", "-", at most 40)`,
      );
    }
    const base64 = item.slice(colon + 1);
    const material = Buffer.from(base64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || material.length !== 32) {
      throw new Error(`${name}: key "${id}" must be the base64 of exactly 32 random bytes`);
    }
    if (keys.some((k) => k.id === id)) throw new Error(`${name}: key id "${id}" appears twice`);
    keys.push(encryptionKey(id, material));
  }
  return keys;
}

function documentKinds(env: NodeJS.ProcessEnv, name: string, fallback: DocumentKind[]): DocumentKind[] {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const kinds = raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(DOCUMENT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new Error(`${name}: unknown document kind(s) ${unknown.join(', ')}; known: ${DOCUMENT_KINDS.join(', ')}`);
  }
  return kinds as DocumentKind[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = int(env, 'PORT', 3000);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || 'var'),
    databaseUrl: env.DATABASE_URL || undefined,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'MedAdmit <no-reply@medadmit.local>',
    argon2MemoryKib: int(env, 'ARGON2_MEMORY_KIB', 47104),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12),
    loginMaxPerAccount: int(env, 'LOGIN_MAX_PER_ACCOUNT', 5),
    loginMaxPerAddress: int(env, 'LOGIN_MAX_PER_ADDRESS', 30),
    loginWindowMinutes: int(env, 'LOGIN_WINDOW_MINUTES', 15),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576),
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 10_485_760),
    uploadConcurrency: int(env, 'UPLOAD_CONCURRENCY', 6),
    maxInFlight: int(env, 'MAX_IN_FLIGHT', 256),
    logLevel: env.LOG_LEVEL || 'info',
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    trustProxy: env.TRUST_PROXY === 'true',
    webDir: path.resolve(env.WEB_DIR || 'dist/web'),
    retentionDays: int(env, 'RETENTION_DAYS', 1095),
    fileEncryptionKeys: env.FILE_ENCRYPTION_KEYS ? parseEncryptionKeys(env.FILE_ENCRYPTION_KEYS) : undefined,
    encryptedDocumentKinds: documentKinds(env, 'ENCRYPTED_DOCUMENT_KINDS', ['medical_report']),
  };
}

/** Cookies get the Secure attribute and the __Host- prefix whenever the public URL is https. */
export function isSecureOrigin(config: Pick<AppConfig, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https://');
}
