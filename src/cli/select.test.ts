import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSelect } from './select.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'medadmit-select-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

const write = async (name: string, value: unknown) => {
  const file = path.join(dir, name);
  await fs.writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('runSelect', () => {
  it('writes the contract output, with cutoffs null where nobody was turned away', async () => {
    const input = await write('in.json', {
      competitions: [
        { id: 'C1', capacity: 1, revertsTo: 'C2' },
        { id: 'C2', capacity: 1 },
        { id: 'C3', capacity: 2 },
      ],
      applications: [
        { applicant: 'A1', competition: 'C1', priority: 1, score: [245, 80], lottery: 17 },
        { applicant: 'A2', competition: 'C1', priority: 1, score: [240, 70], lottery: 12 },
        { applicant: 'A2', competition: 'C3', priority: 2, score: [240, 70], lottery: 12 },
        { applicant: 'A3', competition: 'C1', priority: 1, score: [200, 10], lottery: 5 },
      ],
    });
    const out = path.join(dir, 'out.json');
    expect(await runSelect(input, out)).toBe(0);
    const text = await fs.readFile(out, 'utf8');
    expect(text).toContain('\n  "assignments": [\n');
    const result = JSON.parse(text);
    expect(Object.keys(result)).toEqual(['assignments', 'unassigned', 'cutoffs', 'capacities', 'stats']);
    expect(result).toEqual({
      assignments: [
        { applicant: 'A1', competition: 'C1' },
        { applicant: 'A2', competition: 'C3' },
      ],
      unassigned: ['A3'],
      cutoffs: { C1: { score: [245, 80], lottery: 17 }, C2: null, C3: null },
      capacities: { C1: 1, C2: 1, C3: 2 },
      stats: { applicants: 3, applications: 4, proposals: 4, ms: expect.any(Number) },
    });
  });

  it('prints to stdout and adds the drawn lottery numbers', async () => {
    const input = await write('in.json', {
      competitions: [{ id: 'C1', capacity: 1 }],
      applications: [
        { applicant: 'A1', competition: 'C1', priority: 1, score: [1] },
        { applicant: 'A2', competition: 'C1', priority: 1, score: [1] },
      ],
    });
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
    expect(await runSelect(input, undefined)).toBe(0);
    const result = JSON.parse(printed);
    expect(Object.keys(result)).toEqual(['assignments', 'unassigned', 'cutoffs', 'capacities', 'lottery', 'stats']);
    expect(Object.values(result.lottery).sort()).toEqual([1, 2]);
    const winner = result.lottery.A1 === 1 ? 'A1' : 'A2';
    expect(result.assignments).toEqual([{ applicant: winner, competition: 'C1' }]);
  });

  it('exits 2 with the offending entry on invalid input', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    const input = await write('bad.json', {
      competitions: [{ id: 'C1', capacity: 1 }],
      applications: [
        { applicant: 'A3', competition: 'C1', priority: 1, score: [1] },
        { applicant: 'A3', competition: 'C1', priority: 2, score: [1] },
      ],
    });
    expect(await runSelect(input, path.join(dir, 'out.json'))).toBe(2);
    expect(err).toContain('applications[1]: duplicate (A3, C1)');
    await expect(fs.access(path.join(dir, 'out.json'))).rejects.toThrow();
    expect(await runSelect(await write('broken.json', '{'), undefined)).toBe(2);
  });
});
