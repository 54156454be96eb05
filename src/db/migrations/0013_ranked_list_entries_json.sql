-- Ranked lists are only ever read whole: keep their entries as written (json) instead of converting
-- 500,000 entries per allocation run into jsonb's binary form.
ALTER TABLE "ranked_lists" ALTER COLUMN "entries" SET DATA TYPE json USING "entries"::json;
