-- AlterTable
ALTER TABLE "Prediction" ADD COLUMN "churnProbability" REAL;
ALTER TABLE "Prediction" ADD COLUMN "nextOrderAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "primaryLocale" TEXT;
