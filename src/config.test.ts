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

  it('names the variable when a number is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '-5' })).toThrow(/SESSION_IDLE_MINUTES/);
  });
});
