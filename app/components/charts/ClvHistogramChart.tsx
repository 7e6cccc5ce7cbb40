import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramBin } from "~/presentation/stats";
import { useI18n } from "~/i18n/context";
import { ChartFrame } from "../ChartFrame";

/** Distribution of predicted value across customers (bars with round edges), the top values in a final bar. */
export function ClvHistogramChart({ bins, overflow }: { bins: HistogramBin[]; overflow: HistogramBin | null }) {
  const { t, fmt } = useI18n();
  const data = bins.map((b) => ({
    label: fmt.moneyShort(b.from),
    count: b.count,
    range: `${fmt.moneyShort(b.from)}–${fmt.moneyShort(b.to)}`,
  }));
  if (overflow)
    data.push({
      label: `${fmt.moneyShort(overflow.from)}+`,
      count: overflow.count,
      range: t("histogram.above", { from: fmt.moneyShort(overflow.from) }),
    });
  const total = data.reduce((s, d) => s + d.count, 0);
  const peak = data.reduce((m, d) => (d.count > m.count ? d : m), data[0] ?? { range: "", count: 0 });
  return (
    <ChartFrame
      empty={total === 0}
      emptyMessage={t("histogram.empty")}
      summary={t("histogram.summary", {
        count: total,
        customers: fmt.int(total),
        range: peak.range,
        peak: fmt.int(peak.count),
      })}
      data={{
        headings: [t("histogram.colRange"), t("histogram.colCustomers")],
        rows: data.filter((d) => d.count > 0).map((d) => [d.range, fmt.int(d.count)]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" interval="preserveStartEnd" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v) => fmt.int(Number(v))} />
            <Tooltip
              formatter={(v) => [fmt.int(Number(v)), t("histogram.colCustomers")]}
              labelFormatter={(_, p) => (p?.[0]?.payload as { range?: string })?.range ?? ""}
            />
            <Bar dataKey="count" fill="#2c6ecb" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
