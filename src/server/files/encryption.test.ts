import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKeys } from '../../config.js';
import {
  DecryptionError,
  decryptContent,
  developmentKeyFile,
  encryptContent,
  keyringOf,
  loadKeyring,
  newKeySpec,
  rewrapEnvelope,
} from './encryption.js';

const spec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const ring = (...specs: string[]) => keyringOf(parseEncryptionKeys(specs.join(',')), 'environment');

describe('envelope encryption of files', () => {
  const plain = Buffer.from('%PDF-1.4 medical report: HIV negative, marker 7f3a');

  it('round-trips, and the ciphertext does not contain the plaintext', () => {
    const keys = ring(spec('k1'));
    const { ciphertext, envelope } = encryptContent(plain, keys);
    expect(ciphertext.includes(Buffer.from('HIV negative'))).toBe(false);
    expect(envelope).toMatchObject({ alg: 'aes-256-gcm', keyId: 'k1' });
    expect(decryptContent(ciphertext, envelope, keys)).toEqual(plain);
  });

  it('uses a fresh data key and IV per file', () => {
    const keys = ring(spec('k1'));
    const a = encryptContent(plain, keys);
    const b = encryptContent(plain, keys);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.envelope.wrappedKey).not.toBe(b.envelope.wrappedKey);
    expect(a.envelope.iv).not.toBe(b.envelope.iv);
  });

  it('refuses altered content, an altered tag, an altered wrapped key, and a wrong key', () => {
    const keys = ring(spec('k1'));
    const { ciphertext, envelope } = encryptContent(plain, keys);
    const flipped = Buffer.from(ciphertext);
    flipped[3] = (flipped[3] ?? 0) ^ 1;
    expect(() => decryptContent(flipped, envelope, keys)).toThrow(DecryptionError);
    const tag = Buffer.from(envelope.tag, 'base64');
    tag[0] = (tag[0] ?? 0) ^ 1;
    expect(() => decryptContent(ciphertext, { ...envelope, tag: tag.toString('base64') }, keys)).toThrow(
      DecryptionError,
    );
    const wrapped = Buffer.from(envelope.wrappedKey, 'base64');
    wrapped[20] = (wrapped[20] ?? 0) ^ 1;
    expect(() => decryptContent(ciphertext, { ...envelope, wrappedKey: wrapped.toString('base64') }, keys)).toThrow(
      DecryptionError,
    );
    expect(() => decryptContent(ciphertext, envelope, ring(spec('k1')))).toThrow(DecryptionError);
    expect(() => decryptContent(ciphertext.subarray(0, 10), envelope, keys)).toThrow(DecryptionError);
  });

  it('binds a wrapped key to its key id', () => {
    const k1 = spec('k1');
    const keys = ring(k1, `k2:${k1.split(':')[1]}`);
    const { ciphertext, envelope } = encryptContent(plain, keys);
    // Same key bytes under another id: the additional data differs, so it does not open.
    expect(() => decryptContent(ciphertext, { ...envelope, keyId: 'k2' }, keys)).toThrow(DecryptionError);
  });

  it('names an unknown key id', () => {
    const { ciphertext, envelope } = encryptContent(plain, ring(spec('old')));
    expect(() => decryptContent(ciphertext, envelope, ring(spec('new')))).toThrow(/"old" is not configured/);
  });

  it('re-wraps under the current key; the old key can then go; re-wrapping again changes nothing', () => {
    const old = spec('2025');
    const current = spec('2026');
    const { ciphertext, envelope } = encryptContent(plain, ring(old));
    const rotated = rewrapEnvelope(envelope, ring(current, old));
    expect(rotated.keyId).toBe('2026');
    expect(rotated.iv).toBe(envelope.iv);
    expect(rotated.tag).toBe(envelope.tag);
    expect(decryptContent(ciphertext, rotated, ring(current))).toEqual(plain);
    expect(rewrapEnvelope(rotated, ring(current))).toBe(rotated);
  });
});

describe('key configuration', () => {
  it('parses keyId:base64 pairs, the first being current', () => {
    const keys = ring(spec('a'), spec('b'));
    expect(keys.current.id).toBe('a');
    expect([...keys.byId.keys()]).toEqual(['a', 'b']);
  });

  it('refuses malformed entries without echoing key material', () => {
    const short = `k:${randomBytes(16).toString('base64')}`;
    expect(() => parseEncryptionKeys(short)).toThrow(/exactly 32/);
    try {
      parseEncryptionKeys(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short.slice(2));
    }
    expect(() => parseEncryptionKeys(randomBytes(32).toString('base64'))).toThrow(/keyId:base64/);
    expect(() => parseEncryptionKeys(`${spec('x')},${spec('x')}`)).toThrow(/twice/);
    expect(() => parseEncryptionKeys(`bad id:${randomBytes(32).toString('base64')}`)).toThrow(/keyId/);
  });

  it('keeps key bytes out of JSON and inspection', () => {
    const [key] = parseEncryptionKeys(spec('k1'));
    const base64 = key?.material.toString('base64') ?? '';
    expect(JSON.stringify(key)).toBe('{"id":"k1"}');
    expect(inspect(key)).not.toContain(base64);
    expect(inspect(key, { depth: 5 })).not.toContain('material');
  });

  it('generates the development key once, readable by the owner only', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-keys-'));
    try {
      const first = loadKeyring({ fileEncryptionKeys: undefined, dataDir });
      const again = loadKeyring({ fileEncryptionKeys: undefined, dataDir });
      expect(first.source).toBe('development');
      expect(again.current.id).toBe(first.current.id);
      expect(again.current.material.equals(first.current.material)).toBe(true);
      expect(fs.statSync(developmentKeyFile(dataDir)).mode & 0o777).toBe(0o600);
      // The environment wins and nothing is written.
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-keys-'));
      expect(loadKeyring({ fileEncryptionKeys: parseEncryptionKeys(spec('env')), dataDir: other }).source).toBe(
        'environment',
      );
      expect(fs.existsSync(developmentKeyFile(other))).toBe(false);
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints new keys that the configuration accepts', () => {
    expect(parseEncryptionKeys(newKeySpec('k20260601'))[0]?.id).toBe('k20260601');
    expect(() => newKeySpec('no spaces')).toThrow();
  });
});
