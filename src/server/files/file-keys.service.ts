import { and, count, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { documents, documentVersions } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { type Envelope, type Keyring, rewrapEnvelope } from './encryption.js';

/** Key ids of encrypted files, not configured: start-up and rotation refuse while this is not empty. */
export async function missingKeyIds(db: Db, keyring: Keyring): Promise<string[]> {
  const rows = await db
    .selectDistinct({ keyId: sql<string>`${documentVersions.encryption}->>'keyId'` })
    .from(documentVersions)
    .where(isNotNull(documentVersions.encryption));
  return rows
    .map((r) => r.keyId)
    .filter((id) => !keyring.byId.has(id))
    .sort();
}

export class MissingKeysError extends Error {
  constructor(readonly keyIds: string[]) {
    super(
      `stored files are encrypted under key id(s) ${keyIds.join(', ')} that FILE_ENCRYPTION_KEYS does not hold; ` +
        'add them back after the current key and start again (`medadmit keys rotate` then moves their files to the current key)',
    );
  }
}

export async function assertFileKeysAvailable(db: Db, keyring: Keyring): Promise<void> {
  const missing = await missingKeyIds(db, keyring);
  if (missing.length > 0) throw new MissingKeysError(missing);
}

export interface KeyStatus {
  current: string;
  source: Keyring['source'];
  /** Encrypted file versions per key id, with whether that key is configured. */
  keys: { keyId: string; files: number; configured: boolean; current: boolean }[];
  /** Versions of encrypted kinds stored in clear (uploaded before encryption was turned on for them). */
  clearOfEncryptedKinds: number;
}

export async function fileKeyStatus(db: Db, keyring: Keyring, encryptedKinds: readonly string[]): Promise<KeyStatus> {
  const keyId = sql<string>`${documentVersions.encryption}->>'keyId'`;
  const rows = await db
    .select({ keyId, files: count() })
    .from(documentVersions)
    .where(isNotNull(documentVersions.encryption))
    .groupBy(keyId);
  const counted = new Map(rows.map((r) => [r.keyId, Number(r.files)]));
  const ids = [...new Set([...keyring.byId.keys(), ...counted.keys()])].sort();
  const [clear] =
    encryptedKinds.length === 0
      ? [{ n: 0 }]
      : await db
          .select({ n: count() })
          .from(documentVersions)
          .innerJoin(documents, eq(documents.id, documentVersions.documentId))
          .where(and(isNull(documentVersions.encryption), inArray(documents.kind, [...encryptedKinds])));
  return {
    current: keyring.current.id,
    source: keyring.source,
    keys: ids.map((id) => ({
      keyId: id,
      files: counted.get(id) ?? 0,
      configured: keyring.byId.has(id),
      current: id === keyring.current.id,
    })),
    clearOfEncryptedKinds: Number(clear?.n ?? 0),
  };
}

export interface RotationResult {
  current: string;
  /** Data keys re-wrapped, per key id they were under before. */
  rewrapped: Record<string, number>;
  total: number;
}

const CHUNK = 500;

/**
 * Re-wraps every data key not under the current key with the current key, in one transaction with
 * one audit entry (the counts). Files are not touched. Running it again re-wraps nothing.
 */
export async function rotateFileKeys(db: Db, clock: Clock, keyring: Keyring, actor: Actor): Promise<RotationResult> {
  const current = keyring.current.id;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        documentId: documentVersions.documentId,
        version: documentVersions.version,
        encryption: documentVersions.encryption,
      })
      .from(documentVersions)
      .where(and(isNotNull(documentVersions.encryption), ne(sql`${documentVersions.encryption}->>'keyId'`, current)))
      .for('update');
    const missing = [...new Set(rows.map((r) => r.encryption?.keyId ?? ''))].filter((id) => !keyring.byId.has(id));
    if (missing.length > 0) throw new MissingKeysError(missing.sort());
    const rewrapped: Record<string, number> = {};
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK).map((r) => {
        const before = r.encryption as Envelope;
        rewrapped[before.keyId] = (rewrapped[before.keyId] ?? 0) + 1;
        return { document_id: r.documentId, version: r.version, enc: rewrapEnvelope(before, keyring) };
      });
      await tx.execute(sql`
        update document_versions v set encryption = x.enc
        from json_to_recordset(${JSON.stringify(chunk)}::json) as x(document_id uuid, version int, enc jsonb)
        where v.document_id = x.document_id and v.version = x.version`);
    }
    await recordAudit(tx, clock, actor, {
      action: 'file_keys.rotated',
      subjectType: 'file_encryption_key',
      subjectId: current,
      after: { current, rewrapped, total: rows.length },
    });
    return { current, rewrapped, total: rows.length };
  });
}
