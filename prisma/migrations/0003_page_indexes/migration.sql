-- CreateIndex
CREATE INDEX "Order_shop_name_idx" ON "Order"("shop", "name");

-- CreateIndex
CREATE INDEX "Prediction_shop_historicSpend_idx" ON "Prediction"("shop", "historicSpend");

-- CreateIndex
CREATE INDEX "Prediction_shop_expectedOrders_idx" ON "Prediction"("shop", "expectedOrders");

-- CreateIndex
CREATE INDEX "Prediction_shop_orderCount_idx" ON "Prediction"("shop", "orderCount");

-- CreateIndex
CREATE INDEX "Prediction_shop_lastOrderAt_idx" ON "Prediction"("shop", "lastOrderAt");

