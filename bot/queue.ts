/**
 * Work after the ack: at most `concurrency` jobs at once, and jobs of one chat in arrival order.
 */
export class ChatQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private idleResolvers: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  push(chat: string, job: () => Promise<void>): void {
    this.pending++;
    const prev = this.tails.get(chat) ?? Promise.resolve();
    const next = prev.then(() => this.slot(job)).catch(this.onError);
    this.tails.set(chat, next);
    void next.finally(() => {
      if (this.tails.get(chat) === next) this.tails.delete(chat);
      if (--this.pending === 0) this.idleResolvers.splice(0).forEach((r) => r());
    });
  }

  private async slot(job: () => Promise<void>) {
    if (this.running >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      // Yield to I/O first: acks of incoming events must not wait behind a chain of jobs.
      await new Promise((r) => setImmediate(r));
      await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Resolves when every queued job has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleResolvers.push(r));
  }
}
