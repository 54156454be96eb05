/**
 * The campaign lottery (single tie-breaking): every applicant draws once, at the first allocation run
 * that includes them, and keeps the number for the whole campaign. A batch is reproducible from its
 * published seed: applicants are ordered by SHA-256(seed ‖ applicant id) and numbered from the next
 * free number. The same hash gives the applicant's anonymous code on the public ranked lists.
 */
import { hash as sha } from 'node:crypto';

export interface Draw {
  applicantId: string;
  lottery: number;
  code: string;
}

/** Crockford's base-32 without I, L, O, U: unambiguous when read aloud or typed. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function digest(seed: string, applicantId: string): Buffer {
  return sha('sha256', `${seed}\u0000${applicantId}`, 'buffer');
}

function codeOf(hash: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(hash[i] as number) & 31];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/**
 * Draws numbers `firstNumber`, `firstNumber + 1`, … for the applicants, in the order of their hashes.
 * Codes are 8 characters (4-4); on the rare clash with `takenCodes` or within the batch, longer.
 */
export function drawLottery(
  seed: string,
  applicantIds: readonly string[],
  firstNumber: number,
  takenCodes: ReadonlySet<string> = new Set(),
): Draw[] {
  const n = applicantIds.length;
  const hashes: Buffer[] = new Array(n);
  // The first 48 bits as a number sort fast; equal prefixes fall back to the whole hash.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hash = digest(seed, applicantIds[i] as string);
    hashes[i] = hash;
    keys[i] = hash.readUIntBE(0, 6);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(
    (a, b) =>
      (keys[a] as number) - (keys[b] as number) ||
      Buffer.compare(hashes[a] as Buffer, hashes[b] as Buffer) ||
      ((applicantIds[a] as string) < (applicantIds[b] as string) ? -1 : 1),
  );
  const used = new Set(takenCodes);
  const draws: Draw[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i] as number;
    const hash = hashes[k] as Buffer;
    let length = 8;
    let code = codeOf(hash, length);
    while (used.has(code) && length < 32) code = codeOf(hash, ++length);
    used.add(code);
    draws[i] = { applicantId: applicantIds[k] as string, lottery: firstNumber + i, code };
  }
  return draws;
}
