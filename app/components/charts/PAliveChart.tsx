import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "../ChartFrame";
import { pct } from "../format";

/** One point of a customer's P(alive) history. */
export interface PAlivePoint {
  /** ISO day. */
  day: string;
  pAlive: number;
  /** True on days with an order. */
  order: boolean;
}

/** P(alive) over time for one customer: jumps to 1 at each order, decays in between. */
export function PAliveChart({ points, unavailable }: { points: PAlivePoint[]; unavailable?: string | null }) {
  const last = points.at(-1);
  const orders = points.filter((p) => p.order);
  return (
    <ChartFrame
      empty={points.length === 0}
      emptyMessage={unavailable ?? "No P(alive) history for this customer."}
      summary={
        last
          ? `P(alive) today is ${pct(last.pAlive)}; it returns to 100% at each of the ${orders.length} orders and decays while the customer is quiet.`
          : ""
      }
    >
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={40} />
            <YAxis domain={[0, 1]} tickFormatter={(v) => pct(Number(v))} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => [pct(Number(v), 1), "P(alive)"]} />
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
