import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Cohort } from "~/presentation/stats";
import { useI18n } from "~/i18n/context";
import { ChartFrame } from "../ChartFrame";

const COLORS = ["#2c6ecb", "#5fb58f", "#e3a008", "#9c6ade", "#d82c0d", "#47c1bf", "#637381", "#f49342"];

/** Months since the first order shown in the chart's data table. */
const TABLE_MONTHS = [1, 3, 6, 12, 18, 24];

/**
 * One line per cohort (the most recent eight): cumulative revenue per customer, or the share of
 * customers who ordered in each month after their first ("retention").
 */
export function CohortChart({ cohorts, show }: { cohorts: Cohort[]; show: "revenue" | "retention" }) {
  const { t, fmt } = useI18n();
  const shown = cohorts.slice(-8);
  const series = (c: Cohort) => (show === "revenue" ? c.cumulative : c.retention);
  const months = Math.max(0, ...shown.map((c) => series(c).length));
  const data = Array.from({ length: months }, (_, m) => {
    const row: Record<string, number> = { month: show === "revenue" ? m + 1 : m + 1 };
    for (const c of shown) if (m < series(c).length) row[c.month] = series(c)[m];
    return row;
  });
  const value = (v: number) => (show === "revenue" ? fmt.moneyExact(v) : fmt.pct(v, 1));
  const cols = TABLE_MONTHS.filter((m) => m <= months);
  const best = shown.reduce<Cohort | null>(
    (b, c) => ((series(c).at(-1) ?? 0) > (b ? (series(b).at(-1) ?? -1) : -1) ? c : b),
    null,
  );
  return (
    <ChartFrame
      empty={months === 0}
      emptyMessage={t("cohorts.chartEmpty")}
      height={320}
      summary={
        best
          ? t(show === "revenue" ? "cohorts.summaryRevenue" : "cohorts.summaryRetention", {
              count: shown.length,
              month: best.month,
              value: value(series(best).at(-1) ?? 0),
              months: series(best).length,
            })
          : ""
      }
      data={{
        headings: [t("cohorts.colMonth"), ...cols.map((m) => t("cohorts.afterMonths", { count: m }))],
        rows: shown.map((c) => [c.month, ...cols.map((m) => (series(c).length >= m ? value(series(c)[m - 1]) : "—"))]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="month"
              tick={{ fontSize: 11 }}
              label={{ value: t("cohorts.axisMonths"), position: "insideBottom", offset: -4, fontSize: 11 }}
            />
            <YAxis
              tickFormatter={(v) => (show === "revenue" ? fmt.moneyShort(Number(v)) : fmt.pct(Number(v)))}
              tick={{ fontSize: 11 }}
            />
            <Tooltip
              formatter={(v, n) => [value(Number(v)), t("cohorts.cohort", { month: String(n) })]}
              labelFormatter={(m) => t("cohorts.monthN", { month: String(m) })}
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
