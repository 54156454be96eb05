ALTER TABLE "admissions" DROP CONSTRAINT "admissions_application_id_applications_id_fk";
--> statement-breakpoint
ALTER TABLE "admissions" DROP CONSTRAINT "admissions_competition_id_competitions_id_fk";
--> statement-breakpoint
ALTER TABLE "lottery_draws" DROP CONSTRAINT "lottery_draws_application_id_applications_id_fk";
--> statement-breakpoint
-- The three foreign keys above are replaced by references kept per statement. A foreign key checks
-- and locks its parent row by row (one query per inserted row); an allocation run inserts 100,000
-- lottery draws and 77,000 admissions, and those checks were a quarter of its database time. These
-- triggers give the same guarantees in one join per statement:
--   * an inserted row's parent must exist, and is locked FOR KEY SHARE as a foreign key locks it,
--     so a concurrent delete of the parent waits for the inserting transaction;
--   * a changed reference is checked (and locked) like an inserted one;
--   * deleting a parent deletes its children (ON DELETE CASCADE) or fails while children name it
--     (NO ACTION), checked at the end of the statement;
--   * changing a referenced parent's id fails (NO ACTION);
--   * truncating a parent fails while the child table has rows.
-- A parent's delete or key change must run under READ COMMITTED (see ref_require_read_committed).
-- Tables are named relative to the trigger's own schema, whatever the search_path.
-- The release before this one runs unchanged on it (no name of a key is read by the code).
-- The parent's key column is always "id". Violations raise SQLSTATE 23503 (foreign_key_violation),
-- as a foreign key does, with the trigger's name as the constraint.
CREATE OR REPLACE FUNCTION ref_check_inserted() RETURNS trigger AS $$
DECLARE
  parent regclass := format('%I.%I', TG_TABLE_SCHEMA, TG_ARGV[0])::regclass;
  col text := TG_ARGV[1];
  total bigint;
  present bigint;
  missing text;
BEGIN
  SELECT count(*) INTO total FROM new_rows;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM new_rows n JOIN ONLY %s p ON p.id = n.%I FOR KEY SHARE OF p) s',
    parent, col) INTO present;
  IF present < total THEN
    EXECUTE format(
      'SELECT n.%I::text FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM ONLY %s p WHERE p.id = n.%I) LIMIT 1',
      col, parent, col) INTO missing;
    RAISE foreign_key_violation USING
      MESSAGE = format('insert or update on table "%s" violates reference "%s"', TG_TABLE_NAME, TG_NAME),
      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, coalesce(missing, 'null'), parent),
      TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ref_check_updated() RETURNS trigger AS $$
DECLARE
  parent regclass := format('%I.%I', TG_TABLE_SCHEMA, TG_ARGV[0])::regclass;
  col text := TG_ARGV[1];
  key uuid;
  present boolean;
BEGIN
  EXECUTE format('SELECT ($1).%I', col) USING NEW INTO key;
  EXECUTE format('SELECT true FROM ONLY %s p WHERE p.id = $1 FOR KEY SHARE OF p', parent) USING key INTO present;
  IF present IS NULL THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('insert or update on table "%s" violates reference "%s"', TG_TABLE_NAME, TG_NAME),
      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, coalesce(key::text, 'null'), parent),
      TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ref_require_read_committed() RETURNS void AS $$
BEGIN
  -- A parent's delete or key change looks for children with a new snapshot, which sees the children
  -- of a transaction that held the parent's lock and committed meanwhile. Under REPEATABLE READ or
  -- SERIALIZABLE the transaction's snapshot would miss them (a foreign key has a cross-check for
  -- this; a trigger does not), so those levels are refused.
  IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted') THEN
    RAISE object_not_in_prerequisite_state USING
      MESSAGE = 'deleting or re-keying an application or a competition that may be referenced needs READ COMMITTED isolation';
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ref_parent_deleted() RETURNS trigger AS $$
DECLARE
  child regclass := format('%I.%I', TG_TABLE_SCHEMA, TG_ARGV[0])::regclass;
  col text := TG_ARGV[1];
  held text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM ref_require_read_committed();
  IF TG_ARGV[2] = 'cascade' THEN
    EXECUTE format('DELETE FROM ONLY %s c USING old_rows o WHERE c.%I = o.id', child, col);
  ELSE
    EXECUTE format('SELECT o.id::text FROM old_rows o WHERE EXISTS (SELECT 1 FROM ONLY %s c WHERE c.%I = o.id) LIMIT 1',
      child, col) INTO held;
    IF held IS NOT NULL THEN
      RAISE foreign_key_violation USING
        MESSAGE = format('update or delete on table "%s" violates reference "%s" on table "%s"', TG_TABLE_NAME, TG_NAME, child),
        DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', held, child),
        TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ref_parent_key_changed() RETURNS trigger AS $$
DECLARE
  child regclass := format('%I.%I', TG_TABLE_SCHEMA, TG_ARGV[0])::regclass;
  col text := TG_ARGV[1];
  held boolean;
BEGIN
  PERFORM ref_require_read_committed();
  EXECUTE format('SELECT true FROM ONLY %s c WHERE c.%I = $1 LIMIT 1', child, col) USING OLD.id INTO held;
  IF held THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('update or delete on table "%s" violates reference "%s" on table "%s"', TG_TABLE_NAME, TG_NAME, child),
      DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', OLD.id, child),
      TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER lottery_draws_application_ref AFTER INSERT ON lottery_draws
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_check_inserted('applications', 'application_id');
--> statement-breakpoint
CREATE TRIGGER lottery_draws_application_ref_update AFTER UPDATE OF application_id ON lottery_draws
  FOR EACH ROW WHEN (OLD.application_id IS DISTINCT FROM NEW.application_id)
  EXECUTE FUNCTION ref_check_updated('applications', 'application_id');
--> statement-breakpoint
CREATE TRIGGER admissions_application_ref AFTER INSERT ON admissions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_check_inserted('applications', 'application_id');
--> statement-breakpoint
CREATE TRIGGER admissions_application_ref_update AFTER UPDATE OF application_id ON admissions
  FOR EACH ROW WHEN (OLD.application_id IS DISTINCT FROM NEW.application_id)
  EXECUTE FUNCTION ref_check_updated('applications', 'application_id');
--> statement-breakpoint
CREATE TRIGGER admissions_competition_ref AFTER INSERT ON admissions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_check_inserted('competitions', 'competition_id');
--> statement-breakpoint
CREATE TRIGGER admissions_competition_ref_update AFTER UPDATE OF competition_id ON admissions
  FOR EACH ROW WHEN (OLD.competition_id IS DISTINCT FROM NEW.competition_id)
  EXECUTE FUNCTION ref_check_updated('competitions', 'competition_id');
--> statement-breakpoint
CREATE TRIGGER applications_delete_lottery_draws AFTER DELETE ON applications
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_parent_deleted('lottery_draws', 'application_id', 'cascade');
--> statement-breakpoint
CREATE TRIGGER applications_delete_admissions AFTER DELETE ON applications
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_parent_deleted('admissions', 'application_id', 'cascade');
--> statement-breakpoint
CREATE TRIGGER competitions_delete_admissions AFTER DELETE ON competitions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION ref_parent_deleted('admissions', 'competition_id', 'no action');
--> statement-breakpoint
CREATE TRIGGER applications_key_lottery_draws AFTER UPDATE OF id ON applications
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION ref_parent_key_changed('lottery_draws', 'application_id');
--> statement-breakpoint
CREATE TRIGGER applications_key_admissions AFTER UPDATE OF id ON applications
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION ref_parent_key_changed('admissions', 'application_id');
--> statement-breakpoint
CREATE TRIGGER competitions_key_admissions AFTER UPDATE OF id ON competitions
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION ref_parent_key_changed('admissions', 'competition_id');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ref_parent_truncated() RETURNS trigger AS $$
DECLARE
  child regclass := format('%I.%I', TG_TABLE_SCHEMA, TG_ARGV[0])::regclass;
  held boolean;
BEGIN
  -- TRUNCATE runs no delete triggers: refuse it while children exist (truncate them first), as a
  -- foreign key refuses a TRUNCATE that does not include the referencing table.
  EXECUTE format('SELECT true FROM ONLY %s LIMIT 1', child) INTO held;
  IF held THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('cannot truncate "%s": table "%s" references it (reference "%s"); truncate it first', TG_TABLE_NAME, child, TG_NAME),
      TABLE = TG_TABLE_NAME, CONSTRAINT = TG_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER applications_truncate_lottery_draws BEFORE TRUNCATE ON applications
  FOR EACH STATEMENT EXECUTE FUNCTION ref_parent_truncated('lottery_draws');
--> statement-breakpoint
CREATE TRIGGER applications_truncate_admissions BEFORE TRUNCATE ON applications
  FOR EACH STATEMENT EXECUTE FUNCTION ref_parent_truncated('admissions');
--> statement-breakpoint
CREATE TRIGGER competitions_truncate_admissions BEFORE TRUNCATE ON competitions
  FOR EACH STATEMENT EXECUTE FUNCTION ref_parent_truncated('admissions');
