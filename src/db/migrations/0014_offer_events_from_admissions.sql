-- An offer's timeline event is read from its admission row since 2026-12 (src/server/applications/
-- timeline.ts): the allocation run no longer writes one event per offer. Events written by earlier
-- runs are removed where the admission row and its run say exactly the same (application, instant,
-- competition, run number, confirmation deadline), so no offer shows twice; any other 'offered'
-- event stays.
DELETE FROM application_events e
USING admissions a
JOIN allocation_runs r ON r.id = a.run_id
WHERE e.type = 'offered'
  AND a.application_id = e.application_id
  AND a.created_at = e.at
  AND e.data ->> 'competition' = a.competition_id::text
  AND e.data -> 'run' = to_jsonb(r.seq)
  AND e.data ->> 'confirmBy' = to_char(a.confirm_by AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
