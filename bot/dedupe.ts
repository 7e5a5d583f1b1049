/**
 * Keys already handled (message_id, event_id), kept at least 8 hours — Feishu re-sends an
 * unacknowledged event for about 7.1 hours — and persisted in DATA_DIR so a restart does not
 * answer twice.
 */
import { z } from "zod";
import { readJsonOr, writeFileAtomic } from "../index/files.ts";

export const DEDUPE_TTL_MS = 8 * 60 * 60 * 1000;

export class SeenStore {
  private readonly seen = new Map<string, number>();
  private dirty = false;

  constructor(
    private readonly path: string | null,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DEDUPE_TTL_MS,
    private readonly flushDelayMs = 1000,
  ) {
    // A damaged file only loses dedupe history: start empty.
    const saved = path ? readJsonOr(path, z.record(z.string(), z.number()), {}) : {};
    for (const [k, exp] of Object.entries(saved)) if (exp > now()) this.seen.set(k, exp);
  }

  /** True the first time a key is seen (and records it); false for a repeat. */
  firstTime(key: string): boolean {
    const t = this.now();
    const exp = this.seen.get(key);
    if (exp !== undefined && exp > t) return false;
    this.seen.set(key, t + this.ttlMs);
    this.dirty = true;
    if (this.seen.size % 1000 === 0) this.prune();
    this.scheduleFlush();
    return true;
  }

  private timer: NodeJS.Timeout | null = null;

  /** Writing the whole set on every event would stall the ack path: write at most once a second. */
  private scheduleFlush() {
    if (!this.path || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushDelayMs);
    this.timer.unref();
  }

  private prune() {
    const t = this.now();
    for (const [k, exp] of this.seen) if (exp <= t) this.seen.delete(k);
  }

  flush() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.path || !this.dirty) return;
    this.dirty = false;
    writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.seen)));
  }

  get size() {
    return this.seen.size;
  }
}
