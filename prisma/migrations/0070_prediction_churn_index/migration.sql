-- The customers list's "at risk" filter (churn probability High, or P(alive) low for runs without one)
-- counts and pages through an index instead of scanning every prediction of the shop.
-- CreateIndex
CREATE INDEX "Prediction_shop_churnProbability_idx" ON "Prediction"("shop", "churnProbability");
