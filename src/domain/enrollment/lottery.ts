/**
 * The campaign lottery (single tie-breaking): every applicant draws once, at the first allocation run
 * that includes them, and keeps the number for the whole campaign. A batch is reproducible from its
 * published seed: applicants are ordered by SHA-256(seed ‖ applicant id) and numbered from the next
 * free number. The same hash gives the applicant's anonymous code on the public ranked lists.
 */
import { createHash } from 'node:crypto';

export interface Draw {
  applicantId: string;
  lottery: number;
  code: string;
}

/** Crockford's base-32 without I, L, O, U: unambiguous when read aloud or typed. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function digest(seed: string, applicantId: string): Buffer {
  return createHash('sha256').update(`${seed}\u0000${applicantId}`).digest();
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
  const hashed = applicantIds.map((applicantId) => {
    const hash = digest(seed, applicantId);
    // The first 48 bits as a number sort fast; equal prefixes fall back to the whole hash.
    return { applicantId, hash, key: hash.readUIntBE(0, 6) };
  });
  hashed.sort((a, b) => a.key - b.key || Buffer.compare(a.hash, b.hash) || (a.applicantId < b.applicantId ? -1 : 1));
  const used = new Set(takenCodes);
  return hashed.map(({ applicantId, hash }, i) => {
    let length = 8;
    let code = codeOf(hash, length);
    while (used.has(code) && length < 32) code = codeOf(hash, ++length);
    used.add(code);
    return { applicantId, lottery: firstNumber + i, code };
  });
}
