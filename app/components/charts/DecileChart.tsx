import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DecilePoint } from "~/presentation/model-metrics";
import { ChartFrame } from "../ChartFrame";
import { money, moneyShort } from "~/i18n/format";

/** Backtest: mean predicted vs mean actual holdout value per predicted decile. */
export function DecileChart({
  deciles,
  model,
  currency,
}: {
  deciles: DecilePoint[];
  model: string | null;
  currency: string;
}) {
  const top = deciles.find((d) => d.decile === 1) ?? deciles[0];
  return (
    <ChartFrame
      empty={deciles.length === 0}
      emptyMessage="This run has no decile breakdown."
      summary={
        top
          ? `${model ?? "Model"}: in the top predicted decile, customers were predicted ${money(top.predicted, currency)} on average and actually spent ${money(top.actual, currency)}.`
          : "Predicted vs actual by decile."
      }
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={deciles} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="decile"
              tick={{ fontSize: 11 }}
              label={{ value: "predicted decile (1 = highest)", position: "insideBottom", offset: -4, fontSize: 11 }}
            />
            <YAxis tickFormatter={(v) => moneyShort(Number(v), currency)} tick={{ fontSize: 11 }} />
            <Tooltip
              formatter={(v, n) => [money(Number(v), currency), String(n)]}
              labelFormatter={(d) => `decile ${d}`}
            />
            <Legend verticalAlign="top" height={24} />
            <Bar dataKey="predicted" name="predicted" fill="#2c6ecb" isAnimationActive={false} />
            <Bar dataKey="actual" name="actual" fill="#5fb58f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
