import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramBin } from "~/services/stats";
import { ChartFrame } from "../ChartFrame";
import { int, moneyShort } from "../format";

/** Distribution of predicted CLV across customers (bars), with the top 1% in a final bar. */
export function ClvHistogramChart({
  bins,
  overflow,
  currency,
}: {
  bins: HistogramBin[];
  overflow: HistogramBin | null;
  currency: string;
}) {
  const data = bins.map((b) => ({
    label: moneyShort(b.from, currency),
    count: b.count,
    range: `${moneyShort(b.from, currency)}–${moneyShort(b.to, currency)}`,
  }));
  if (overflow)
    data.push({
      label: `${moneyShort(overflow.from, currency)}+`,
      count: overflow.count,
      range: `above ${moneyShort(overflow.from, currency)} (top 1%)`,
    });
  const total = data.reduce((s, d) => s + d.count, 0);
  const peak = data.reduce((m, d) => (d.count > m.count ? d : m), data[0] ?? { range: "", count: 0 });
  return (
    <ChartFrame
      empty={total === 0}
      emptyMessage="No predictions yet: the distribution appears after the first training run."
      summary={`Predicted CLV of ${int(total)} customers; the most common range is ${peak.range} (${int(peak.count)} customers).`}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" interval="preserveStartEnd" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip
              formatter={(v) => [int(Number(v)), "customers"]}
              labelFormatter={(_, p) => (p?.[0]?.payload as { range?: string })?.range ?? ""}
            />
            <Bar dataKey="count" fill="#2c6ecb" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
