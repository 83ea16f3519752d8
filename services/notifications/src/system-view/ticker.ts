/**
 * Runs `tick` every `intervalMs` while it is started; never two ticks at once (a slow Redis makes ticks
 * rarer, never piles them up). Stopped, it holds no timer, so an idle gateway does nothing.
 */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get started(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
    this.runOnce();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when the tick in flight, if any, is over. */
  async idle(): Promise<void> {
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.tick()
      .catch(this.onError)
      .finally(() => (this.running = undefined));
  }
}
