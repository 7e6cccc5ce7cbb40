-- AlterTable
ALTER TABLE "ModelRun" ADD COLUMN     "aggregates" TEXT,
ADD COLUMN     "intervalLower" DOUBLE PRECISION,
ADD COLUMN     "intervalMethod" TEXT,
ADD COLUMN     "intervalUpper" DOUBLE PRECISION;


-- Hand-written (not expressible in the Prisma schema): any change to a shop's predictions drops
-- the shop's cached dashboard aggregates in the same transaction (training, rescoring, GDPR
-- redaction, shop erasure, manual SQL). Statement-level triggers: a bulk rewrite pays one UPDATE.
-- `SET search_path FROM CURRENT` pins the function to the schema it was migrated into.
CREATE FUNCTION "horizon_prediction_changed"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE "ModelRun" SET "aggregates" = NULL
  WHERE "aggregates" IS NOT NULL AND "shop" IN (SELECT DISTINCT "shop" FROM "changed_rows");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Prediction_aggregates_insert" AFTER INSERT ON "Prediction"
REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "horizon_prediction_changed"();

CREATE TRIGGER "Prediction_aggregates_update_old" AFTER UPDATE ON "Prediction"
REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "horizon_prediction_changed"();

CREATE TRIGGER "Prediction_aggregates_update_new" AFTER UPDATE ON "Prediction"
REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "horizon_prediction_changed"();

CREATE TRIGGER "Prediction_aggregates_delete" AFTER DELETE ON "Prediction"
REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "horizon_prediction_changed"();
