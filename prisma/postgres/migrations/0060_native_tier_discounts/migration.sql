-- Native tier discounts limited to the tier segments (docs/decisions/0020-actions.md).
-- AlterTable
ALTER TABLE "TierDiscount" ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'function';

-- CreateTable
CREATE TABLE "TierSegmentDiscount" (
    "shop" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "discountId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "percentage" DOUBLE PRECISION NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TierSegmentDiscount_pkey" PRIMARY KEY ("shop","tier")
);
