-- PostgreSQL keeps its statement-level insert trigger (one UPDATE per INSERT statement; SQLite
-- drops its row-level one). The function now touches every run of the changed shops, even when
-- the cache is already NULL: a transaction that writes predictions then holds the row locks of the
-- shop's ModelRun rows until it commits, so a concurrent cache build (which first writes a marker
-- on those rows) waits for it and reads the committed predictions instead of storing stale ones.
CREATE OR REPLACE FUNCTION "horizon_prediction_changed"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE "ModelRun" SET "aggregates" = NULL WHERE "shop" IN (SELECT DISTINCT "shop" FROM "changed_rows");
  RETURN NULL;
END;
$$;
