-- Native tier discounts limited to the tier segments (docs/decisions/0020-actions.md).
-- AlterTable
ALTER TABLE "TierDiscount" ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'function';

-- CreateTable
CREATE TABLE "TierSegmentDiscount" (
    "shop" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "discountId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "percentage" REAL NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "tier")
);
