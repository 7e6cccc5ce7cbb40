-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "lifecycleReadyAt" DATETIME;
ALTER TABLE "Settings" ADD COLUMN "retrainEveryDays" INTEGER NOT NULL DEFAULT 7;

-- CreateTable
CREATE TABLE "LifecycleStep" (
    "shop" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastResult" TEXT,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "step")
);

-- CreateTable
CREATE TABLE "WritebackRecord" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "metafields" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "WritebackAudit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "customersConsidered" INTEGER NOT NULL DEFAULT 0,
    "customersTouched" INTEGER NOT NULL DEFAULT 0,
    "mutations" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationIds" TEXT NOT NULL DEFAULT '[]',
    "errors" TEXT NOT NULL DEFAULT '[]'
);

-- CreateIndex
CREATE INDEX "WritebackAudit_shop_startedAt_idx" ON "WritebackAudit"("shop", "startedAt");
