-- An offer's timeline event is read from its admission row since 2026-12 (src/server/applications/
-- timeline.ts): the allocation run no longer writes one event per offer. Events written by earlier
-- runs are removed where the admission row says exactly the same (same application, same instant,
-- same competition), so no offer shows twice; any other 'offered' event stays.
DELETE FROM application_events e
USING admissions a
WHERE e.type = 'offered'
  AND a.application_id = e.application_id
  AND a.created_at = e.at
  AND e.data ->> 'competition' = a.competition_id::text;
