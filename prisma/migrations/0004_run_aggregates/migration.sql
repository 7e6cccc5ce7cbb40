-- AlterTable
ALTER TABLE "ModelRun" ADD COLUMN "aggregates" TEXT;
ALTER TABLE "ModelRun" ADD COLUMN "intervalLower" REAL;
ALTER TABLE "ModelRun" ADD COLUMN "intervalMethod" TEXT;
ALTER TABLE "ModelRun" ADD COLUMN "intervalUpper" REAL;


-- Hand-written (not expressible in the Prisma schema): any change to a shop's predictions drops
-- the shop's cached dashboard aggregates in the same transaction (training, rescoring, GDPR
-- redaction, shop erasure, manual SQL). The WHEN clause makes the trigger a no-op lookup once the
-- cache is already empty, so a bulk rewrite pays one UPDATE.
CREATE TRIGGER "Prediction_aggregates_insert" AFTER INSERT ON "Prediction"
WHEN EXISTS (SELECT 1 FROM "ModelRun" WHERE "shop" = NEW."shop" AND "aggregates" IS NOT NULL)
BEGIN
  UPDATE "ModelRun" SET "aggregates" = NULL WHERE "shop" = NEW."shop" AND "aggregates" IS NOT NULL;
END;

CREATE TRIGGER "Prediction_aggregates_update" AFTER UPDATE ON "Prediction"
WHEN EXISTS (SELECT 1 FROM "ModelRun" WHERE "shop" IN (OLD."shop", NEW."shop") AND "aggregates" IS NOT NULL)
BEGIN
  UPDATE "ModelRun" SET "aggregates" = NULL WHERE "shop" IN (OLD."shop", NEW."shop") AND "aggregates" IS NOT NULL;
END;

CREATE TRIGGER "Prediction_aggregates_delete" AFTER DELETE ON "Prediction"
WHEN EXISTS (SELECT 1 FROM "ModelRun" WHERE "shop" = OLD."shop" AND "aggregates" IS NOT NULL)
BEGIN
  UPDATE "ModelRun" SET "aggregates" = NULL WHERE "shop" = OLD."shop" AND "aggregates" IS NOT NULL;
END;
