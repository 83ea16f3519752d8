import {
  SERVICE_GROUP,
  SERVICES,
  STREAM_TOPOLOGY,
  type StreamView,
  type SystemSnapshot,
} from '@pizza/shared/contract';
import { FlowEdge } from './FlowEdge';

const ROW = 44;
const TOP = 70;
const SERVICE_W = 130;
const STREAM_X = 330;
const STREAM_W = 230;
const RIGHT_X = 760;
const GROUP_SERVICE: Record<string, string> = Object.fromEntries(
  Object.entries(SERVICE_GROUP).map(([s, g]) => [g, s]),
);

function Box({
  x,
  y,
  w,
  label,
  sub,
  tone,
}: {
  x: number;
  y: number;
  w: number;
  label: string;
  sub?: string;
  tone: string;
}) {
  return (
    <g>
      <rect x={x} y={y - 15} width={w} height={30} rx="6" className={tone} strokeWidth="1.5" />
      <text
        x={x + w / 2}
        y={sub ? y - 1 : y + 4}
        textAnchor="middle"
        className="fill-stone-900 text-[12px] font-medium"
      >
        {label}
      </text>
      {sub && (
        <text x={x + w / 2} y={y + 11} textAnchor="middle" className="fill-stone-600 text-[10px]">
          {sub}
        </text>
      )}
    </g>
  );
}

const curve = (x1: number, y1: number, x2: number, y2: number) =>
  `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;

/**
 * The topology as the shared contract describes it (producers on the left, streams in Redis in the middle,
 * the reading services on the right), each edge animated at its stream's rate. Decorative for screen
 * readers: the stream cards carry the same facts as text.
 */
export function TopologyDiagram({ snapshot }: { snapshot: SystemSnapshot | undefined }) {
  const streams = Object.keys(STREAM_TOPOLOGY) as (keyof typeof STREAM_TOPOLOGY)[];
  const rateOf = (stream: string) =>
    snapshot?.streams.find((s: StreamView) => s.stream === stream)?.rate ?? 0;
  const serviceY = (i: number) => TOP + 20 + i * ROW * 2;
  const height = TOP + streams.length * ROW + 60;
  const alive = (service: string) => snapshot?.services.find((s) => s.service === service)?.alive;
  const tone = (service: string) =>
    alive(service) === false ? 'fill-stone-100 stroke-stone-400' : 'fill-amber-50 stroke-amber-600';
  return (
    <svg aria-hidden="true" viewBox={`0 0 900 ${height}`} className="h-auto w-full">
      <rect
        x={STREAM_X - 20}
        y={TOP - 30}
        width={STREAM_W + 40}
        height={streams.length * ROW + 20}
        rx="10"
        className="fill-red-50 stroke-red-200"
      />
      <text
        x={STREAM_X + STREAM_W / 2}
        y={TOP - 36}
        textAnchor="middle"
        className="fill-red-800 text-[12px] font-semibold"
      >
        Redis Streams
      </text>
      <Box x={20} y={22} w={SERVICE_W} label="Browser" tone="fill-white stroke-stone-500" />
      <Box x={RIGHT_X} y={22} w={SERVICE_W} label="gateway (WebSocket)" tone="fill-white stroke-stone-500" />
      <Box
        x={20}
        y={height - 24}
        w={SERVICE_W}
        label="MongoDB"
        sub="orders, delivery"
        tone="fill-emerald-50 stroke-emerald-600"
      />
      {streams.map((stream, i) => {
        const y = TOP + i * ROW;
        const { producers, groups } = STREAM_TOPOLOGY[stream];
        const rate = rateOf(stream);
        return (
          <g key={stream}>
            {stream !== 'dead-letters' &&
              producers.map((p) => (
                <FlowEdge
                  key={p}
                  d={curve(20 + SERVICE_W, serviceY(SERVICES.indexOf(p)), STREAM_X, y)}
                  rate={rate}
                />
              ))}
            {groups.map((g) => (
              <FlowEdge
                key={g}
                d={curve(
                  STREAM_X + STREAM_W,
                  y,
                  RIGHT_X,
                  serviceY(SERVICES.indexOf(GROUP_SERVICE[g] as (typeof SERVICES)[number])),
                )}
                rate={rate}
              />
            ))}
            <Box
              x={STREAM_X}
              y={y}
              w={STREAM_W}
              label={stream}
              sub={`${rate.toFixed(1)} events/s`}
              tone="fill-white stroke-red-400"
            />
          </g>
        );
      })}
      {SERVICES.map((service, i) => (
        <g key={service}>
          <Box x={20} y={serviceY(i)} w={SERVICE_W} label={service} sub="writes" tone={tone(service)} />
          <Box x={RIGHT_X} y={serviceY(i)} w={SERVICE_W} label={service} sub="reads" tone={tone(service)} />
        </g>
      ))}
    </svg>
  );
}
