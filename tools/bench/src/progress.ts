/**
 * Progress on stderr while a phase runs: a redrawn bar on a terminal, a plain line every few seconds
 * otherwise (CI logs, pipes), so stdout keeps only the report.
 */
export interface Progress {
  stop(): void;
}

const WIDTH = 24;

export function startProgress(
  label: string,
  totalMs: number,
  status: () => string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  const line = () => {
    const elapsed = performance.now() - started;
    const share = Math.min(1, elapsed / totalMs);
    const filled = Math.round(share * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
    const clock =
      elapsed <= totalMs
        ? `${(elapsed / 1000).toFixed(0).padStart(3)}/${(totalMs / 1000).toFixed(0)} s`
        : 'sending done, settling';
    return `${label} ${bar} ${clock}  ${status()}`;
  };
  const timer = tty
    ? setInterval(() => stream.write(`\r\x1b[2K${line().slice(0, (stream.columns ?? 120) - 1)}`), 200)
    : setInterval(() => stream.write(`${line()}\n`), 5_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
