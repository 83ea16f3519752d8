import { STREAMS } from '@pizza/shared/contract';

interface BoxProps {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  subtitle?: string;
  tone: 'service' | 'edge' | 'store';
}

const TONES = {
  edge: 'fill-white stroke-stone-400',
  service: 'fill-red-50 stroke-red-700',
  store: 'fill-sky-50 stroke-sky-700',
} as const;

function Box({ x, y, width, height, title, subtitle, tone }: BoxProps) {
  const middle = x + width / 2;
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} rx={10} className={`${TONES[tone]} stroke-2`} />
      <text
        x={middle}
        y={y + (subtitle ? 22 : height / 2 + 5)}
        textAnchor="middle"
        className="fill-stone-900 text-[14px] font-semibold"
      >
        {title}
      </text>
      {subtitle && (
        <text x={middle} y={y + 40} textAnchor="middle" className="fill-stone-600 text-[11px]">
          {subtitle}
        </text>
      )}
    </g>
  );
}

function Arrow({ from, to, both = false }: { from: [number, number]; to: [number, number]; both?: boolean }) {
  return (
    <line
      x1={from[0]}
      y1={from[1]}
      x2={to[0]}
      y2={to[1]}
      className="stroke-stone-500 stroke-2"
      markerEnd="url(#arrow-head)"
      markerStart={both ? 'url(#arrow-head)' : undefined}
    />
  );
}

/** What the system is made of, and which way events flow. */
export function SystemDiagram() {
  const streams = Object.values(STREAMS);
  const half = Math.ceil(streams.length / 2);
  return (
    <svg
      viewBox="0 0 760 500"
      role="img"
      aria-labelledby="diagram-title diagram-desc"
      className="h-auto w-full max-w-3xl"
    >
      <title id="diagram-title">System architecture</title>
      <desc id="diagram-desc">
        The browser talks to one gateway, which routes /api to the orders service and /ws to the notifications
        service. The orders, notifications, delivery and simulator services exchange events through Redis
        Streams ({streams.join(', ')}). The orders and delivery services keep their data in MongoDB.
      </desc>
      <defs>
        <marker
          id="arrow-head"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="fill-stone-500" />
        </marker>
      </defs>
      <Box x={370} y={8} width={170} height={44} title="Browser" tone="edge" />
      <Box x={370} y={88} width={170} height={48} title="Gateway" subtitle="/api · /ws · /" tone="edge" />
      <Box x={200} y={170} width={190} height={52} title="Orders" subtitle="HTTP API" tone="service" />
      <Box
        x={520}
        y={170}
        width={190}
        height={52}
        title="Notifications"
        subtitle="WebSocket tracking"
        tone="service"
      />
      <Box x={200} y={430} width={190} height={52} title="Delivery" subtitle="couriers" tone="service" />
      <Box
        x={520}
        y={430}
        width={190}
        height={52}
        title="Simulator"
        subtitle="kitchen and road delays"
        tone="service"
      />
      <Box
        x={10}
        y={270}
        width={130}
        height={110}
        title="MongoDB"
        subtitle="orders · deliveries"
        tone="store"
      />
      <rect
        x={170}
        y={255}
        width={580}
        height={140}
        rx={12}
        className="fill-sky-50 stroke-sky-700 stroke-2"
      />
      <text x={460} y={278} textAnchor="middle" className="fill-stone-900 text-[14px] font-semibold">
        Redis Streams
      </text>
      {streams.map((name, index) => (
        <text
          key={name}
          x={index < half ? 320 : 600}
          y={302 + (index % half) * 22}
          textAnchor="middle"
          className="fill-sky-900 font-mono text-[12px]"
        >
          {name}
        </text>
      ))}
      <Arrow from={[455, 52]} to={[455, 86]} both />
      <Arrow from={[420, 136]} to={[300, 168]} both />
      <Arrow from={[490, 136]} to={[610, 168]} both />
      <Arrow from={[295, 222]} to={[295, 253]} both />
      <Arrow from={[615, 253]} to={[615, 224]} />
      <Arrow from={[295, 428]} to={[295, 397]} both />
      <Arrow from={[615, 428]} to={[615, 397]} both />
      <Arrow from={[200, 205]} to={[100, 268]} />
      <Arrow from={[200, 450]} to={[100, 382]} />
    </svg>
  );
}
