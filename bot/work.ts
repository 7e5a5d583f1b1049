/**
 * Durable work: an event is acked only after its job is journaled (state.work.accept); the job
 * runs in the per-chat queue; it is marked done only after its reply succeeded. A job that fails
 * for a passing reason (Feishu 5xx, 429, a timeout) is run again with back-off — out of its
 * queue slot while it waits — for up to about ten minutes; then it is given up: logged with its
 * message id and, when possible, the chat is told. On start, unfinished jobs are resumed; a job
 * whose runs keep taking the process down (started three times, never finished) is given up.
 * With several replicas (a store with takeOver), the jobs of a replica gone silent are taken
 * over every few seconds and run here like resumed ones.
 * Replies carry a uuid derived from the event, so a resumed or repeated run never posts twice.
 */
import { errText, type Logger } from "./log.ts";
import type { ChatQueue } from "./queue.ts";
import type { Job, WorkStore } from "./state/state.ts";

export interface RetryPolicy {
  /** First wait after a failed run; doubled each time up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Give up once the waits so far add up to more than this. */
  giveUpAfterMs: number;
  /** A run that takes longer than this frees its slot and counts as a passing failure. */
  runTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 2000, maxDelayMs: 60_000, giveUpAfterMs: 10 * 60_000, runTimeoutMs: 5 * 60_000 };

/** Runs after a job's failures; past this many starts without a finish, a resumed job is given up. */
export const MAX_STARTS = 3;

/** How often a replica looks for work left by a silent one (see WorkStore.takeOver). */
export const TAKE_OVER_EVERY_MS = 2000;

/**
 * Said to the transport: refuse the event with 503 (Feishu re-sends it) — while shutting down, or
 * while the shared state cannot be reached (answering without dedupe could answer twice).
 */
export class Draining extends Error {
  constructor(message = "正在停止，不再接收新事件") {
    super(message);
  }
}

export interface JobHandlers {
  run(job: Job, log: Logger): Promise<void>;
  /** Tell the chat the job was given up (best effort). */
  gaveUp(job: Job, log: Logger, why: string): Promise<void>;
  /** Whether an error is worth another run later. */
  transient(e: unknown): boolean;
}

/** The waits before each retry under a policy, as long as they fit its budget. */
export function retryDelays(p: RetryPolicy): number[] {
  const out: number[] = [];
  let total = 0;
  for (let d = p.firstDelayMs; total + d <= p.giveUpAfterMs; d = Math.min(p.maxDelayMs, d * 2)) {
    out.push(d);
    total += d;
  }
  return out;
}

export class Work {
  private accepting = true;
  private readonly delays: number[];
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  private takeOverTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { store: WorkStore; queue: ChatQueue; handlers: JobHandlers; log: Logger; retry?: RetryPolicy },
  ) {
    this.delays = retryDelays(deps.retry ?? DEFAULT_RETRY);
  }

  private get policy() {
    return this.deps.retry ?? DEFAULT_RETRY;
  }

  /**
   * Journal the job and queue it; resolves once it is durable (then the event may be acked).
   * False for a repeat. Throws Draining while shutting down, or the store's error.
   */
  async accept(job: Job): Promise<boolean> {
    if (!this.accepting) throw new Draining();
    const fresh = await this.deps.store.accept(job);
    if (fresh) this.schedule(job, 0);
    return fresh;
  }

  /** Queue every unfinished job of the journal (at start); from then on, take over silent replicas' jobs. */
  async resume(): Promise<number> {
    const jobs = await this.deps.store.unfinished();
    await this.adopt(jobs);
    if (jobs.length) this.deps.log.info({ jobs: jobs.length }, `续做上次未完成的 ${jobs.length} 项工作`);
    const { store } = this.deps;
    if (store.takeOver && !this.takeOverTimer) {
      let busy = false;
      this.takeOverTimer = setInterval(() => {
        if (busy || !this.accepting) return;
        busy = true;
        void store
          .takeOver!()
          .then(async (taken) => {
            if (!taken.length || !this.accepting) return;
            this.deps.log.warn({ jobs: taken.length }, `接手其他副本已确认未完成的 ${taken.length} 项工作（该副本已失联）`);
            await this.adopt(taken);
          })
          .catch((e) => this.deps.log.error({ err: errText(e) }, `检查失联副本的工作失败：${errText(e)}`))
          .finally(() => (busy = false));
      }, TAKE_OVER_EVERY_MS);
      this.takeOverTimer.unref();
    }
    return jobs.length;
  }

  /** Queue jobs accepted earlier (by this process before a restart, or by a replica gone silent). */
  private async adopt(jobs: Job[]) {
    for (const job of jobs) {
      const log = this.jobLog(job);
      if ((job.starts ?? 0) >= MAX_STARTS) {
        log.error({ starts: job.starts }, `任务已启动 ${job.starts} 次都没有完成（每次都使进程退出），放弃`);
        await this.giveUp(job, log, "处理这条消息时服务多次中断");
        continue;
      }
      this.schedule(job, 0);
    }
  }

  private jobLog(job: Job) {
    return this.deps.log.child({ job: job.key, kind: job.kind });
  }

  private schedule(job: Job, attempt: number) {
    this.running++;
    this.deps.queue.push(job.chat, () => this.runOnce(job, attempt));
  }

  private async runOnce(job: Job, attempt: number) {
    const log = this.jobLog(job);
    let again = false;
    try {
      await this.deps.store.started(job.key).catch(() => {});
      await withTimeout(this.deps.handlers.run(job, log), this.policy.runTimeoutMs, `处理超过 ${Math.round(this.policy.runTimeoutMs / 1000)} 秒`);
      await this.finish(job, "done", log);
    } catch (e) {
      // Draining here: the shared state is away for now (Redis lost), so the run is tried again later.
      const transient = e instanceof RunTimeout || e instanceof Draining || this.deps.handlers.transient(e);
      if (transient && attempt < this.delays.length && this.accepting) {
        const wait = this.delays[attempt];
        log.warn({ attempt: attempt + 1, wait_ms: wait, err: errText(e) }, `处理失败（第 ${attempt + 1} 次），${wait} ms 后重试：${errText(e)}`);
        again = true;
        // Out of the queue while it waits: other chats go on.
        const t = setTimeout(() => {
          this.waiting.delete(job.key);
          this.running--;
          this.schedule(job, attempt + 1);
        }, wait);
        this.waiting.set(job.key, t);
      } else if (transient && !this.accepting) {
        log.info("正在停止：这项工作留在工作日志里，下次启动时续做");
      } else {
        log.error({ attempts: attempt + 1, err: errText(e) }, `处理失败，放弃（共尝试 ${attempt + 1} 次）：${errText(e)}`);
        await this.giveUp(job, log, transient ? "飞书接口持续出错或超时" : "处理时出错");
      }
    } finally {
      if (!again) this.settle();
    }
  }

  private async giveUp(job: Job, log: Logger, why: string) {
    await this.deps.handlers.gaveUp(job, log, why).catch((e) => log.error({ err: errText(e) }, `没能告诉用户这条消息放弃处理：${errText(e)}`));
    await this.finish(job, "gave_up", log);
  }

  private async finish(job: Job, outcome: "done" | "gave_up", log: Logger) {
    // If this write is lost, the job runs again after a restart: its replies carry the same uuid.
    await this.deps.store.finish(job.key, outcome).catch((e) => log.error({ err: errText(e) }, `记录完成失败：${errText(e)}`));
  }

  private settle() {
    if (--this.running === 0) this.idleWaiters.splice(0).forEach((r) => r());
  }

  /** Resolves when no job is queued, running or waiting to retry (tests, benchmarks). */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Jobs queued, running or waiting to retry. */
  get inFlight(): number {
    return this.running;
  }

  /**
   * Stop accepting; wait for running jobs up to `ms`; leave the rest (and those waiting to
   * retry) in the journal for the next start. Resolves with how many were left.
   */
  async drain(ms: number): Promise<number> {
    this.accepting = false;
    if (this.takeOverTimer) clearInterval(this.takeOverTimer);
    for (const [, t] of this.waiting) {
      clearTimeout(t);
      this.settle();
    }
    this.waiting.clear();
    if (this.running > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((r) => this.idleWaiters.push(r)), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    }
    return this.running;
  }

  get isAccepting() {
    return this.accepting;
  }
}

class RunTimeout extends Error {}

/** The promise, or a RunTimeout after `ms` (the work itself is left to finish or fail on its own). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RunTimeout(what)), ms)))]).finally(() => clearTimeout(timer));
}
