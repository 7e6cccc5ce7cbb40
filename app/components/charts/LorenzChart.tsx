import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { LorenzPoint } from "~/services/stats";
import { ChartFrame } from "../ChartFrame";
import { pct } from "../format";

/** Revenue concentration: share of predicted value held by the top X% of customers. */
export function LorenzChart({
  curve,
  gini,
  top20Share,
}: {
  curve: LorenzPoint[];
  gini: number;
  top20Share: number | null;
}) {
  const data = curve.map((p) => ({
    x: Math.round(p.customerShare * 100),
    value: p.valueShare * 100,
    equal: p.customerShare * 100,
  }));
  return (
    <ChartFrame
      empty={curve.length === 0}
      emptyMessage="No predictions yet."
      summary={
        top20Share === null
          ? "Concentration of predicted value."
          : `The top 20% of customers hold ${pct(top20Share)} of predicted value (Gini ${gini.toFixed(2)}); the dashed line is an even spread.`
      }
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="x" type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
            <Tooltip
              formatter={(v, n) => [`${Number(v).toFixed(1)}%`, n === "value" ? "share of value" : "even spread"]}
              labelFormatter={(x) => `top ${x}% of customers`}
            />
            <Line dataKey="equal" stroke="#8c9196" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
            <Line dataKey="value" stroke="#2c6ecb" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
