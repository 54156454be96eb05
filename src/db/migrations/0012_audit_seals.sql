-- The per-row hash chain of 0010 cost a PL/pgSQL call per audited row (an allocation run audits one
-- row per offer). It is replaced by one seal per INSERT statement, computed set-based over the
-- statement's transition table.
DROP TRIGGER IF EXISTS audit_log_chain ON audit_log;
--> statement-breakpoint
DROP FUNCTION IF EXISTS audit_log_chain();
--> statement-breakpoint
DROP FUNCTION IF EXISTS audit_row_hash(text, audit_log);
--> statement-breakpoint
CREATE TABLE "audit_seals" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"ids" bigint[] NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "audit_chain_seq_idx";--> statement-breakpoint
ALTER TABLE "audit_log" DROP COLUMN "chain_seq";--> statement-breakpoint
ALTER TABLE "audit_log" DROP COLUMN "prev_hash";--> statement-breakpoint
ALTER TABLE "audit_log" DROP COLUMN "hash";
--> statement-breakpoint
-- One audit row's content as canonical text (jsonb array; the instant in microseconds since the epoch).
CREATE OR REPLACE FUNCTION audit_row_digest(r audit_log) RETURNS text AS $$
  SELECT jsonb_build_array(
    r.id, (extract(epoch FROM r.at) * 1000000)::bigint, r.actor_user_id, r.on_behalf_of_user_id,
    r.action, r.subject_type, r.subject_id, r.before, r.after, r.reason, r.ip
  )::text
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_seal_hash(prev text, seq bigint, ids bigint[], digests text) RETURNS text AS $$
  SELECT encode(sha256(convert_to(prev || '|' || seq::text || '|' || ids::text || '|' || digests, 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_seal() RETURNS trigger AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  new_ids bigint[];
  digests text;
BEGIN
  -- audit_row_digest(n), written out: a function call per row would double the cost.
  SELECT array_agg(n.id ORDER BY n.id),
      string_agg(jsonb_build_array(
        n.id, (extract(epoch FROM n.at) * 1000000)::bigint, n.actor_user_id, n.on_behalf_of_user_id,
        n.action, n.subject_type, n.subject_id, n.before, n.after, n.reason, n.ip
      )::text, E'\n' ORDER BY n.id)
    INTO new_ids, digests FROM new_rows n;
  IF new_ids IS NULL THEN
    RETURN NULL;
  END IF;
  -- Seals are numbered in commit order: the lock is held until this transaction ends.
  PERFORM pg_advisory_xact_lock(727012);
  SELECT s.seq, s.hash INTO last_seq, last_hash FROM audit_seals s ORDER BY s.seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0) + 1;
  last_hash := coalesce(last_hash, repeat('0', 64));
  INSERT INTO audit_seals (seq, prev_hash, hash, ids, sealed_at)
    VALUES (last_seq, last_hash, audit_seal_hash(last_hash, last_seq, new_ids, digests), new_ids, clock_timestamp());
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_seal
  AFTER INSERT ON audit_log
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_seal();
--> statement-breakpoint
CREATE TRIGGER audit_seals_append_only
  BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- Rows recorded before this migration: one seal over all of them.
INSERT INTO audit_seals (seq, prev_hash, hash, ids, sealed_at)
  SELECT 1, repeat('0', 64),
    audit_seal_hash(repeat('0', 64), 1, array_agg(a.id ORDER BY a.id), string_agg(audit_row_digest(a), E'\n' ORDER BY a.id)),
    array_agg(a.id ORDER BY a.id), clock_timestamp()
  FROM audit_log a HAVING count(*) > 0;
