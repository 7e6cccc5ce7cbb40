-- CreateIndex
CREATE INDEX "Refund_shop_customerId_idx" ON "Refund"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Job_status_lockedAt_idx" ON "Job"("status", "lockedAt");

