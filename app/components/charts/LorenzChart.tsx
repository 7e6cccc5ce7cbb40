import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { LorenzPoint } from "~/presentation/stats";
import { useI18n } from "~/i18n/context";
import { ChartFrame } from "../ChartFrame";

/** Value concentration: share of predicted value held by the top X % of customers. */
export function LorenzChart({ curve, top20Share }: { curve: LorenzPoint[]; top20Share: number | null }) {
  const { t, fmt } = useI18n();
  const data = curve.map((p) => ({
    x: Math.round(p.customerShare * 100),
    value: p.valueShare * 100,
    equal: p.customerShare * 100,
  }));
  return (
    <ChartFrame
      empty={curve.length === 0}
      emptyMessage={t("lorenz.empty")}
      summary={top20Share === null ? t("lorenz.summaryNone") : t("lorenz.summary", { share: fmt.pct(top20Share) })}
      data={{
        headings: [t("lorenz.colCustomers"), t("lorenz.colValue")],
        rows: curve.filter((_, i) => i % 5 === 0).map((p) => [fmt.pct(p.customerShare), fmt.pct(p.valueShare, 1)]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={[0, 100]}
              tickFormatter={(v) => fmt.pct(Number(v) / 100)}
              tick={{ fontSize: 11 }}
            />
            <YAxis domain={[0, 100]} tickFormatter={(v) => fmt.pct(Number(v) / 100)} tick={{ fontSize: 11 }} />
            <Tooltip
              formatter={(v, n) => [
                fmt.pct(Number(v) / 100, 1),
                n === "value" ? t("lorenz.colValue") : t("lorenz.even"),
              ]}
              labelFormatter={(x) => t("lorenz.top", { share: fmt.pct(Number(x) / 100) })}
            />
            <Line dataKey="equal" stroke="#8c9196" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
            <Line dataKey="value" stroke="#2c6ecb" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
