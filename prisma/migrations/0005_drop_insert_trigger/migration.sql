-- SQLite has no statement-level triggers: 0004's row-level AFTER INSERT trigger on "Prediction"
-- made a 100k-row predictions rewrite ~5x slower (measured: 2 s -> 12 s of raw inserts on a loaded
-- machine), while the AFTER DELETE trigger costs nothing measurable. Every app writer deletes a
-- shop's predictions before inserting (app/training/load.server.ts, in one transaction), so the
-- DELETE trigger already drops the cache; the UPDATE and DELETE triggers stay.
DROP TRIGGER IF EXISTS "Prediction_aggregates_insert";
