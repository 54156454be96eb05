import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Verifies the audit log's hash chain (migration 0010): every row's hash is recomputed from its
 * content and the previous row's hash, and the numbering has no gaps. Any edit, insertion or deletion
 * in the middle breaks it; cutting rows off the end is caught by comparing the head with one recorded
 * elsewhere (backups record it; operators can too).
 */
export interface AuditChainReport {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  /** The first broken rows: sequence number, row id, and what is wrong. */
  broken: { seq: number | null; id: number; problem: 'content' | 'link' | 'sequence' | 'unchained' }[];
}

export async function verifyAuditChain(db: Db): Promise<AuditChainReport> {
  const result = await db.execute(sql`
    with checked as (
      select id, chain_seq, hash,
        hash = audit_row_hash(prev_hash, a) as content_ok,
        prev_hash = coalesce(lag(hash) over (order by chain_seq), repeat('0', 64)) as link_ok,
        chain_seq = row_number() over (order by chain_seq) as seq_ok
      from audit_log a
    )
    select id, chain_seq,
      case when chain_seq is null then 'unchained'
           when not content_ok then 'content'
           when not link_ok then 'link'
           else 'sequence' end as problem
    from checked
    where chain_seq is null or not content_ok or not link_ok or not seq_ok
    order by chain_seq nulls first
    limit 20`);
  const summary = await db.execute(sql`
    select count(*)::bigint as rows,
      (select chain_seq from audit_log order by chain_seq desc nulls last limit 1) as seq,
      (select hash from audit_log order by chain_seq desc nulls last limit 1) as hash
    from audit_log`);
  const rows = result.rows as Record<string, unknown>[];
  const head = (summary.rows[0] ?? {}) as Record<string, unknown>;
  const broken = rows.map((r) => ({
    seq: r.chain_seq === null ? null : Number(r.chain_seq),
    id: Number(r.id),
    problem: r.problem as AuditChainReport['broken'][number]['problem'],
  }));
  return {
    ok: broken.length === 0,
    rows: Number(head.rows ?? 0),
    head: head.seq === null || head.seq === undefined ? null : { seq: Number(head.seq), hash: String(head.hash) },
    broken,
  };
}
