-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "lifecycleReadyAt" TIMESTAMP(3);
ALTER TABLE "Settings" ADD COLUMN "retrainEveryDays" INTEGER NOT NULL DEFAULT 7;

-- CreateTable
CREATE TABLE "LifecycleStep" (
    "shop" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastResult" TEXT,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LifecycleStep_pkey" PRIMARY KEY ("shop", "step")
);

-- CreateTable
CREATE TABLE "WritebackRecord" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "metafields" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WritebackRecord_pkey" PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "WritebackAudit" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "customersConsidered" INTEGER NOT NULL DEFAULT 0,
    "customersTouched" INTEGER NOT NULL DEFAULT 0,
    "mutations" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationIds" TEXT NOT NULL DEFAULT '[]',
    "errors" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "WritebackAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WritebackAudit_shop_startedAt_idx" ON "WritebackAudit"("shop", "startedAt");
