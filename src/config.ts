import path from 'node:path';

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
  };
}

/** Cookies get the Secure attribute and the __Host- prefix whenever the public URL is https. */
export function isSecureOrigin(config: Pick<AppConfig, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https://');
}
