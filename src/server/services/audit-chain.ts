import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Verifies the audit log's seals (migration 0012): every INSERT statement on audit_log was sealed in
 * commit order with hash = SHA-256(previous seal's hash, its number, the ids it added, each row's
 * content). Recomputing every seal and checking that each audit row belongs to exactly one seal finds
 * an edited row, a deleted row, a row slipped in without its seal, and a removed or altered seal.
 * Cutting seals and rows off the end leaves a valid shorter log: compare the head with one recorded
 * elsewhere (backups record it; operators can too).
 */
export interface AuditChainReport {
  ok: boolean;
  rows: number;
  seals: number;
  head: { seq: number; hash: string } | null;
  /** The first problems found: a seal whose content or link broke, or audit rows not sealed once. */
  broken: { seq: number | null; id: number | null; problem: 'content' | 'link' | 'sequence' | 'unsealed' | 'twice' }[];
}

export async function verifyAuditChain(db: Db): Promise<AuditChainReport> {
  const seals = await db.execute(sql`
    with recomputed as (
      select s.seq, s.hash, s.prev_hash,
        audit_seal_hash(s.prev_hash, s.seq, s.ids,
          (select string_agg(audit_row_digest(a), E'\n' order by a.id)
             from audit_log a where a.id = any(s.ids))) as expected,
        (select count(*) from audit_log a where a.id = any(s.ids)) as present,
        cardinality(s.ids) as listed,
        lag(s.hash) over (order by s.seq) as previous,
        row_number() over (order by s.seq) as position
      from audit_seals s
    )
    select seq,
      case when expected is distinct from hash or present <> listed then 'content'
           when prev_hash <> coalesce(previous, repeat('0', 64)) then 'link'
           else 'sequence' end as problem
    from recomputed
    where expected is distinct from hash or present <> listed
       or prev_hash <> coalesce(previous, repeat('0', 64)) or seq <> position
    order by seq
    limit 20`);
  const rows = await db.execute(sql`
    with sealed as (select unnest(ids) as id from audit_seals),
    counted as (select id, count(*) as n from sealed group by id)
    select a.id, case when c.n is null then 'unsealed' else 'twice' end as problem
    from audit_log a left join counted c on c.id = a.id
    where c.n is null or c.n > 1
    order by a.id
    limit 20`);
  const summary = await db.execute(sql`
    select (select count(*) from audit_log)::bigint as rows,
      (select count(*) from audit_seals)::bigint as seals,
      (select seq from audit_seals order by seq desc limit 1) as seq,
      (select hash from audit_seals order by seq desc limit 1) as hash`);
  const head = (summary.rows[0] ?? {}) as Record<string, unknown>;
  const broken: AuditChainReport['broken'] = [
    ...(seals.rows as Record<string, unknown>[]).map((r) => ({
      seq: Number(r.seq),
      id: null,
      problem: r.problem as 'content' | 'link' | 'sequence',
    })),
    ...(rows.rows as Record<string, unknown>[]).map((r) => ({
      seq: null,
      id: Number(r.id),
      problem: r.problem as 'unsealed' | 'twice',
    })),
  ];
  return {
    ok: broken.length === 0,
    rows: Number(head.rows ?? 0),
    seals: Number(head.seals ?? 0),
    head: head.seq === null || head.seq === undefined ? null : { seq: Number(head.seq), hash: String(head.hash) },
    broken,
  };
}
