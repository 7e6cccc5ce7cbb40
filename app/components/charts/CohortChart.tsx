import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Cohort } from "~/services/stats";
import { ChartFrame } from "../ChartFrame";
import { money, moneyShort } from "../format";

const COLORS = [
  "#2c6ecb",
  "#5fb58f",
  "#e3a008",
  "#b98900",
  "#9c6ade",
  "#d82c0d",
  "#47c1bf",
  "#637381",
  "#007ace",
  "#50b83c",
  "#f49342",
  "#de3618",
];

/** Cumulative realised LTV per customer by months since first order, one line per cohort. */
export function CohortChart({ cohorts, currency }: { cohorts: Cohort[]; currency: string }) {
  const shown = cohorts.slice(-12);
  const months = Math.max(0, ...shown.map((c) => c.cumulative.length));
  const data = Array.from({ length: months }, (_, m) => {
    const row: Record<string, number> = { month: m + 1 };
    for (const c of shown) if (m < c.cumulative.length) row[c.month] = c.cumulative[m];
    return row;
  });
  const best = shown.reduce<Cohort | null>(
    (b, c) => ((c.cumulative.at(-1) ?? 0) > (b?.cumulative.at(-1) ?? -1) ? c : b),
    null,
  );
  return (
    <ChartFrame
      empty={months === 0}
      emptyMessage="No completed months of order history yet."
      height={320}
      summary={
        best
          ? `Average cumulative revenue per customer by months since first order for the ${shown.length} most recent cohorts; highest: ${best.month} at ${money(best.cumulative.at(-1) ?? 0, currency)} after ${best.cumulative.length} months.`
          : "Cohort curves."
      }
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="month"
              tick={{ fontSize: 11 }}
              label={{ value: "months since first order", position: "insideBottom", offset: -4, fontSize: 11 }}
            />
            <YAxis tickFormatter={(v) => moneyShort(Number(v), currency)} tick={{ fontSize: 11 }} />
            <Tooltip
              formatter={(v, n) => [money(Number(v), currency), `cohort ${n}`]}
              labelFormatter={(m) => `month ${m}`}
            />
            <Legend verticalAlign="top" height={36} />
            {shown.map((c, i) => (
              <Line
                key={c.month}
                dataKey={c.month}
                stroke={COLORS[i % COLORS.length]}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
