-- CreateTable
CREATE TABLE "ActionSegment" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    PRIMARY KEY ("shop", "key")
);

-- CreateTable
CREATE TABLE "TierDiscount" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "discountId" TEXT,
    "rules" TEXT,
    "config" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "changedAt" DATETIME NOT NULL,
    PRIMARY KEY ("shop", "handle")
);

-- CreateTable
CREATE TABLE "CustomerActionState" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "atRisk" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "RetentionCampaign" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "target" TEXT,
    "percentage" REAL NOT NULL,
    "validDays" INTEGER NOT NULL,
    "externalRef" TEXT,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "RetentionOffer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "discountId" TEXT,
    "wasAtRisk" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "redeemedAt" DATETIME,
    "redeemedOrder" TEXT,
    "redeemedAmount" REAL
);

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_sentAt_idx" ON "FlowTriggerEvent"("shop", "sentAt");
CREATE UNIQUE INDEX "RetentionCampaign_shop_externalRef_key" ON "RetentionCampaign"("shop", "externalRef");
CREATE INDEX "RetentionCampaign_shop_createdAt_idx" ON "RetentionCampaign"("shop", "createdAt");
CREATE UNIQUE INDEX "RetentionOffer_shop_code_key" ON "RetentionOffer"("shop", "code");
CREATE UNIQUE INDEX "RetentionOffer_campaignId_customerId_key" ON "RetentionOffer"("campaignId", "customerId");
CREATE INDEX "RetentionOffer_shop_status_idx" ON "RetentionOffer"("shop", "status");
CREATE INDEX "RetentionOffer_shop_customerId_idx" ON "RetentionOffer"("shop", "customerId");
