-- CreateTable
CREATE TABLE "ActionSegment" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    PRIMARY KEY ("shop", "key")
);

-- CreateTable
CREATE TABLE "TierDiscount" (
    "shop" TEXT NOT NULL,
    "discountId" TEXT,
    "rules" TEXT,
    "config" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "TierDiscount_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    PRIMARY KEY ("shop", "handle")
);

-- CreateTable
CREATE TABLE "CustomerActionState" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "atRisk" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "error" TEXT
);

-- CreateTable
CREATE TABLE "RetentionCampaign" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "target" TEXT,
    "percentage" DOUBLE PRECISION NOT NULL,
    "validDays" INTEGER NOT NULL,
    "externalRef" TEXT,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT
);

-- CreateTable
CREATE TABLE "RetentionOffer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "discountId" TEXT,
    "wasAtRisk" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "redeemedAt" TIMESTAMP(3),
    "redeemedOrder" TEXT,
    "redeemedAmount" DOUBLE PRECISION
);

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_sentAt_idx" ON "FlowTriggerEvent"("shop", "sentAt");
CREATE UNIQUE INDEX "RetentionCampaign_shop_externalRef_key" ON "RetentionCampaign"("shop", "externalRef");
CREATE INDEX "RetentionCampaign_shop_createdAt_idx" ON "RetentionCampaign"("shop", "createdAt");
CREATE UNIQUE INDEX "RetentionOffer_shop_code_key" ON "RetentionOffer"("shop", "code");
CREATE UNIQUE INDEX "RetentionOffer_campaignId_customerId_key" ON "RetentionOffer"("campaignId", "customerId");
CREATE INDEX "RetentionOffer_shop_status_idx" ON "RetentionOffer"("shop", "status");
CREATE INDEX "RetentionOffer_shop_customerId_idx" ON "RetentionOffer"("shop", "customerId");
