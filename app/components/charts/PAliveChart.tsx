import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useI18n } from "~/i18n/context";
import { ChartFrame } from "../ChartFrame";

/** One point of a customer's P(alive) history. */
export interface PAlivePoint {
  /** ISO day. */
  day: string;
  pAlive: number;
  /** True on days with an order. */
  order: boolean;
}

/** Chance still active over time for one customer: jumps to 100 % at each order, decays in between. */
export function PAliveChart({ points, unavailable }: { points: PAlivePoint[]; unavailable?: string | null }) {
  const { t, fmt } = useI18n();
  const last = points.at(-1);
  const orders = points.filter((p) => p.order);
  const step = Math.max(1, Math.ceil(points.length / 24));
  return (
    <ChartFrame
      empty={points.length === 0}
      emptyMessage={unavailable ?? t("palive.empty")}
      summary={last ? t("palive.summary", { value: fmt.pct(last.pAlive), count: orders.length }) : ""}
      data={{
        headings: [t("palive.colDay"), t("metric.pAlive")],
        rows: points.filter((p, i) => p.order || i % step === 0 || p === last).map((p) => [p.day, fmt.pct(p.pAlive)]),
      }}
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={40} />
            <YAxis domain={[0, 1]} tickFormatter={(v) => fmt.pct(Number(v))} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => [fmt.pct(Number(v), 1), t("metric.pAlive")]} />
            <Line
              dataKey="pAlive"
              stroke="#2c6ecb"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              type="linear"
            />
            {orders.map((o) => (
              <ReferenceDot key={o.day} x={o.day} y={o.pAlive} r={4} fill="#5fb58f" stroke="none" />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
