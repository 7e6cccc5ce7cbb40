-- AlterTable
ALTER TABLE "Prediction" ADD COLUMN "churnProbability" DOUBLE PRECISION;
ALTER TABLE "Prediction" ADD COLUMN "nextOrderAt" TIMESTAMP(3);
ALTER TABLE "Shop" ADD COLUMN "primaryLocale" TEXT;
