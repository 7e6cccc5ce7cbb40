-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "scopes" TEXT,
    "reconciledUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Settings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "horizonMonths" INTEGER NOT NULL DEFAULT 12,
    "annualDiscountRate" REAL NOT NULL DEFAULT 0.1,
    "grossMargin" REAL NOT NULL DEFAULT 0.3,
    "tierRules" TEXT NOT NULL DEFAULT '[]',
    "tagPrefix" TEXT NOT NULL DEFAULT 'clv',
    "automations" TEXT NOT NULL DEFAULT '{}',
    "webhookPayloadRetentionDays" INTEGER NOT NULL DEFAULT 7,
    "modelRunRetention" INTEGER NOT NULL DEFAULT 10,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "state" TEXT,
    "countryCode" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "predictedSpendTier" TEXT,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "customerId" TEXT,
    "name" TEXT,
    "processedAt" DATETIME NOT NULL,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "financialStatus" TEXT,
    "currencyCode" TEXT NOT NULL,
    "presentmentCurrencyCode" TEXT,
    "subtotal" REAL NOT NULL DEFAULT 0,
    "currentSubtotal" REAL NOT NULL DEFAULT 0,
    "total" REAL NOT NULL DEFAULT 0,
    "totalDiscounts" REAL NOT NULL DEFAULT 0,
    "totalRefunded" REAL NOT NULL DEFAULT 0,
    "presentmentTotal" REAL,
    "sourceName" TEXT,
    "countryCode" TEXT,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "productIds" TEXT NOT NULL DEFAULT '[]',
    "lineItemCount" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT,
    "processedAt" DATETIME NOT NULL,
    "amount" REAL NOT NULL DEFAULT 0,
    "currencyCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "triggeredAt" DATETIME,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "lockedBy" TEXT,
    "lockedAt" DATETIME,
    "lastError" TEXT,
    "progress" TEXT,
    "result" TEXT,
    "dedupeKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'created',
    "phase" TEXT,
    "bulkOperations" TEXT NOT NULL DEFAULT '{}',
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "rowsTotalEstimate" INTEGER,
    "checkpoint" TEXT NOT NULL DEFAULT '{}',
    "watermark" DATETIME,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "champion" TEXT,
    "promoted" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "artefact" TEXT,
    "featureVersion" TEXT,
    "calibrationEnd" DATETIME,
    "horizonDays" INTEGER,
    "progressEpoch" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "progressLoss" REAL,
    "progressEtaMs" INTEGER,
    "progressStage" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Prediction" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "modelRunId" INTEGER NOT NULL,
    "clv" REAL NOT NULL,
    "clvLow" REAL NOT NULL,
    "clvHigh" REAL NOT NULL,
    "pAlive" REAL NOT NULL,
    "expectedOrders" REAL NOT NULL,
    "historicSpend" REAL NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "lastOrderAt" DATETIME,
    "firstOrderAt" DATETIME,
    "tier" TEXT NOT NULL,
    "drivers" TEXT NOT NULL DEFAULT '[]',
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "TierHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "clv" REAL NOT NULL,
    "modelRunId" INTEGER NOT NULL,
    "changedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "requestId" TEXT,
    "content" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Customer_shop_shopifyUpdatedAt_idx" ON "Customer"("shop", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_processedAt_idx" ON "Order"("shop", "customerId", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyUpdatedAt_idx" ON "Order"("shop", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "Refund_shop_orderId_idx" ON "Refund"("shop", "orderId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_idx" ON "WebhookDelivery"("shop", "status");

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_topic_eventKey_key" ON "WebhookDelivery"("shop", "topic", "eventKey");

-- CreateIndex
CREATE UNIQUE INDEX "Job_dedupeKey_key" ON "Job"("dedupeKey");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_type_status_idx" ON "Job"("shop", "type", "status");

-- CreateIndex
CREATE INDEX "SyncRun_shop_kind_status_idx" ON "SyncRun"("shop", "kind", "status");

-- CreateIndex
CREATE INDEX "ModelRun_shop_createdAt_idx" ON "ModelRun"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Prediction_shop_clv_idx" ON "Prediction"("shop", "clv");

-- CreateIndex
CREATE INDEX "Prediction_shop_tier_clv_idx" ON "Prediction"("shop", "tier", "clv");

-- CreateIndex
CREATE INDEX "Prediction_shop_pAlive_idx" ON "Prediction"("shop", "pAlive");

-- CreateIndex
CREATE INDEX "TierHistory_shop_customerId_changedAt_idx" ON "TierHistory"("shop", "customerId", "changedAt");

-- CreateIndex
CREATE INDEX "DataRequest_shop_customerId_idx" ON "DataRequest"("shop", "customerId");

