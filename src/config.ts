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
  /** Argon2id computations (sign-in, registration, password changes) at a time; more wait briefly, then 503. */
  passwordConcurrency: number;
  maxInFlight: number;
  logLevel: string;
  seedDemo: boolean;
  /**
   * Which peers may set X-Forwarded-For/-Proto/-Host (Fastify's trustProxy): false (none), true (any:
   * only when nothing but the proxy can reach the port), or the proxies' addresses/CIDRs.
   */
  trustProxy: boolean | string;
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
  /** BLOB_STORE: where stored files live; `s3` needs the S3_* settings below. */
  blobStore: 'local' | 's3';
  s3: S3Config | undefined;
}

/** An S3-compatible object store (BLOB_STORE=s3); the secret stays out of JSON and inspection. */
export interface S3Config {
  /** Empty for AWS itself. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  forcePathStyle: boolean;
  /** Both unset: the AWS SDK's usual chain (environment, profile, instance role). */
  accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
}

function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const bucket = env.S3_BUCKET || '';
  if (env.BLOB_STORE !== 's3') return undefined;
  if (!bucket) throw new Error('BLOB_STORE=s3 needs S3_BUCKET');
  const endpoint = env.S3_ENDPOINT || undefined;
  const pathStyle = env.S3_FORCE_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '' && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new Error(`S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  }
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together, or neither');
  }
  const config = {
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    bucket,
    forcePathStyle: pathStyle ? pathStyle === 'true' : endpoint !== undefined,
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
  } as S3Config;
  Object.defineProperty(config, 'secretAccessKey', { value: env.S3_SECRET_ACCESS_KEY || undefined, enumerable: false });
  return config;
}

function blobStore(env: NodeJS.ProcessEnv): 'local' | 's3' {
  const raw = env.BLOB_STORE || 'local';
  if (raw !== 'local' && raw !== 's3') throw new Error(`BLOB_STORE must be local or s3, got "${raw}"`);
  return raw;
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

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: `true`/`false`, or comma-separated proxy addresses or CIDRs (or loopback, uniquelocal…). */
export function trustProxy(raw: string | undefined): boolean | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => !/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(item) && !PROXY_NAMES.has(item))) {
    throw new Error(
      `TRUST_PROXY must be true, false, or the proxies' addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8 or loopback), got "${value}"`,
    );
  }
  return value;
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
    passwordConcurrency: Math.max(1, int(env, 'PASSWORD_CONCURRENCY', 2)),
    maxInFlight: int(env, 'MAX_IN_FLIGHT', 256),
    logLevel: env.LOG_LEVEL || 'info',
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    trustProxy: trustProxy(env.TRUST_PROXY),
    webDir: path.resolve(env.WEB_DIR || 'dist/web'),
    retentionDays: int(env, 'RETENTION_DAYS', 1095),
    fileEncryptionKeys: env.FILE_ENCRYPTION_KEYS ? parseEncryptionKeys(env.FILE_ENCRYPTION_KEYS) : undefined,
    encryptedDocumentKinds: documentKinds(env, 'ENCRYPTED_DOCUMENT_KINDS', ['medical_report']),
    blobStore: blobStore(env),
    s3: s3Config(env),
  };
}

/** Cookies get the Secure attribute and the __Host- prefix whenever the public URL is https. */
export function isSecureOrigin(config: Pick<AppConfig, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https://');
}
