-- The cohorts page checks the orders' version (count, latest write) before reusing its cached result.
-- CreateIndex
CREATE INDEX "Order_shop_updatedAt_idx" ON "Order"("shop", "updatedAt");
