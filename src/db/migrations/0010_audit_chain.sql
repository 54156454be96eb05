ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_seq_idx" ON "audit_log" USING btree ("chain_seq");--> statement-breakpoint
-- Tamper evidence for the audit log: each row's hash covers the previous row's hash and its own
-- content (as canonical jsonb text, instants in microseconds since the epoch); rows are numbered in
-- commit order under a transaction-scoped advisory lock, so the chain has no gaps or forks.
CREATE OR REPLACE FUNCTION audit_row_hash(prev text, r audit_log) RETURNS text AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    prev, r.chain_seq, r.id, (extract(epoch FROM r.at) * 1000000)::bigint,
    r.actor_user_id, r.on_behalf_of_user_id, r.action, r.subject_type, r.subject_id,
    r.before, r.after, r.reason, r.ip
  )::text, 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(727012);
  SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_log
    WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.hash := audit_row_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  prev text := repeat('0', 64);
  seq bigint := 0;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    seq := seq + 1;
    r.chain_seq := seq;
    UPDATE audit_log SET chain_seq = seq, prev_hash = prev, hash = audit_row_hash(prev, r)
      WHERE id = r.id RETURNING hash INTO prev;
  END LOOP;
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
