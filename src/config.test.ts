import { describe, expect, it } from 'vitest';
import { isSecureOrigin, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir.endsWith('var')).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.argon2MemoryKib).toBe(47104);
    expect(config.seedDemo).toBe(true);
    expect(isSecureOrigin(config)).toBe(false);
  });

  it('follows PORT into the public URL and trims trailing slashes', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://a.example/' }).publicUrl).toBe('https://a.example');
    expect(isSecureOrigin(loadConfig({ PUBLIC_URL: 'https://a.example/' }))).toBe(true);
  });

  it('reads TRUST_PROXY as on/off or the proxies allowed to name the client', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1, 10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  it('reads the object store settings: local by default, S3 with a bucket, the secret hidden', () => {
    expect(loadConfig({}).blobStore).toBe('local');
    expect(loadConfig({}).s3).toBeUndefined();
    const s3 = loadConfig({
      BLOB_STORE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'files',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'top-secret',
    });
    expect(s3.s3).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true });
    expect(s3.s3?.secretAccessKey).toBe('top-secret');
    expect(JSON.stringify(s3)).not.toContain('top-secret');
    expect(loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'files' }).s3?.forcePathStyle).toBe(false);
    expect(() => loadConfig({ BLOB_STORE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ BLOB_STORE: 'ftp' })).toThrow(/BLOB_STORE/);
    expect(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toThrow(/together/);
  });

  it('names the variable when a number is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '-5' })).toThrow(/SESSION_IDLE_MINUTES/);
  });
});
