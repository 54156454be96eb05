import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type EncryptionKey, parseEncryptionKeys } from '../../config.js';

/**
 * Envelope encryption of special-category files (medical reports). Each file gets its own random
 * 256-bit data key and 96-bit IV; the content is sealed with AES-256-GCM. The data key is sealed in
 * turn with a key-encryption key from the environment (AES-256-GCM again, its own IV, the key id as
 * additional data) and stored beside the version row. Rotating the key-encryption key re-wraps the
 * data keys only; the files stay as they are.
 */

export const FILE_ALG = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** What document_versions.encryption holds (base64 fields). */
export interface Envelope {
  alg: string;
  keyId: string;
  /** IV ‖ sealed data key ‖ tag, sealed under the key-encryption key keyId. */
  wrappedKey: string;
  /** IV and tag of the file content. */
  iv: string;
  tag: string;
}

/** The configured key-encryption keys: the current one seals, any of them opens. */
export interface Keyring {
  current: EncryptionKey;
  byId: ReadonlyMap<string, EncryptionKey>;
  /** 'environment' (FILE_ENCRYPTION_KEYS) or 'development' (generated under DATA_DIR/keys). */
  source: 'environment' | 'development';
  /** Where the development key lives, when source is 'development'. */
  file?: string;
}

/** A file could not be opened: unknown key, wrong key, or the bytes were altered. */
export class DecryptionError extends Error {}

export function keyringOf(keys: EncryptionKey[], source: Keyring['source'], file?: string): Keyring {
  const [current] = keys;
  if (!current) throw new Error('FILE_ENCRYPTION_KEYS holds no key');
  return { current, byId: new Map(keys.map((k) => [k.id, k])), source, ...(file ? { file } : {}) };
}

export function developmentKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'file-encryption.key');
}

/**
 * The keys from the configuration or, when FILE_ENCRYPTION_KEYS is unset, the development key in
 * DATA_DIR/keys/file-encryption.key (created once, mode 0600). Production sets the variable: a key
 * beside the data protects nothing against someone who copies the data directory.
 */
export function loadKeyring(config: { fileEncryptionKeys: EncryptionKey[] | undefined; dataDir: string }): Keyring {
  if (config.fileEncryptionKeys) return keyringOf(config.fileEncryptionKeys, 'environment');
  const file = developmentKeyFile(config.dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const id = `dev-${randomBytes(4).toString('hex')}`;
    try {
      fs.writeFileSync(file, `${id}:${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const keys = parseEncryptionKeys(fs.readFileSync(file, 'utf8').trim(), file);
  return keyringOf(keys, 'development', file);
}

function seal(key: Buffer, iv: Buffer, plain: Buffer, aad?: Buffer): { sealed: Buffer; tag: Buffer } {
  const cipher = createCipheriv(FILE_ALG, key, iv, { authTagLength: TAG_BYTES });
  if (aad) cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { sealed, tag: cipher.getAuthTag() };
}

function open(key: Buffer, iv: Buffer, sealed: Buffer, tag: Buffer, aad?: Buffer): Buffer {
  try {
    const decipher = createDecipheriv(FILE_ALG, key, iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    // final() checks the tag; nothing is returned unless the whole input is authentic.
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    throw new DecryptionError('the stored file or its key does not authenticate');
  }
}

const wrapAad = (keyId: string) => Buffer.from(`medadmit/data-key/v1/${keyId}`);

export function wrapDataKey(dataKey: Buffer, kek: EncryptionKey): string {
  const iv = randomBytes(IV_BYTES);
  const { sealed, tag } = seal(kek.material, iv, dataKey, wrapAad(kek.id));
  return Buffer.concat([iv, sealed, tag]).toString('base64');
}

export function unwrapDataKey(envelope: Pick<Envelope, 'keyId' | 'wrappedKey'>, keyring: Keyring): Buffer {
  const kek = keyring.byId.get(envelope.keyId);
  if (!kek) throw new DecryptionError(`key-encryption key "${envelope.keyId}" is not configured`);
  const raw = Buffer.from(envelope.wrappedKey, 'base64');
  if (raw.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw new DecryptionError('malformed wrapped key');
  return open(
    kek.material,
    raw.subarray(0, IV_BYTES),
    raw.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
    raw.subarray(IV_BYTES + KEY_BYTES),
    wrapAad(envelope.keyId),
  );
}

/** Seals a file's content under a fresh data key wrapped by the current key. */
export function encryptContent(plain: Buffer, keyring: Keyring): { ciphertext: Buffer; envelope: Envelope } {
  const dataKey = randomBytes(KEY_BYTES);
  const iv = randomBytes(IV_BYTES);
  try {
    const { sealed, tag } = seal(dataKey, iv, plain);
    return {
      ciphertext: sealed,
      envelope: {
        alg: FILE_ALG,
        keyId: keyring.current.id,
        wrappedKey: wrapDataKey(dataKey, keyring.current),
        iv: iv.toString('base64'),
        tag: tag.toString('base64'),
      },
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Opens a sealed file; throws DecryptionError (and returns nothing) unless it authenticates. */
export function decryptContent(ciphertext: Buffer, envelope: Envelope, keyring: Keyring): Buffer {
  if (envelope.alg !== FILE_ALG) throw new DecryptionError(`unknown algorithm ${envelope.alg}`);
  const dataKey = unwrapDataKey(envelope, keyring);
  try {
    const iv = Buffer.from(envelope.iv, 'base64');
    const tag = Buffer.from(envelope.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed envelope');
    return open(dataKey, iv, ciphertext, tag);
  } finally {
    dataKey.fill(0);
  }
}

/** The same data key, wrapped by the current key instead (rotation); the file is untouched. */
export function rewrapEnvelope(envelope: Envelope, keyring: Keyring): Envelope {
  if (envelope.keyId === keyring.current.id) return envelope;
  const dataKey = unwrapDataKey(envelope, keyring);
  try {
    return { ...envelope, keyId: keyring.current.id, wrappedKey: wrapDataKey(dataKey, keyring.current) };
  } finally {
    dataKey.fill(0);
  }
}

/** A fresh key for FILE_ENCRYPTION_KEYS (`keyId:base64`). */
export function newKeySpec(id: string): string {
  const spec = `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
  parseEncryptionKeys(spec, 'key');
  return spec;
}
