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
      await this.turn();
      await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private readonly turns: (() => void)[] = [];
  private turning = false;

  /**
   * Wait for this job's turn to start: one job starts per turn of the event loop, so between two
   * job starts Node always polls I/O — an incoming event is acked after at most one job's
   * synchronous work, not after all the jobs that were ready at once.
   */
  private turn(): Promise<void> {
    return new Promise((resolve) => {
      this.turns.push(resolve);
      if (!this.turning) this.nextTurn();
    });
  }

  private nextTurn() {
    this.turning = true;
    // An immediate queued from inside an immediate runs on the next loop turn, after the I/O poll.
    setImmediate(() => {
      this.turns.shift()?.();
      if (this.turns.length) this.nextTurn();
      else this.turning = false;
    });
  }

  /** Resolves when every queued job has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleResolvers.push(r));
  }
}
