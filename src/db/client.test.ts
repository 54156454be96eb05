import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './client.js';

describe('lockDataDir', () => {
  it('refuses a second owner of the embedded database while the first lives, and takes over a dead one', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-lock-')), 'pglite');
    const unlock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    unlock();
    fs.writeFileSync(`${dir}.lock`, '999999999'); // no such process
    const again = lockDataDir(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    again();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
