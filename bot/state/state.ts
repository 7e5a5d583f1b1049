/**
 * Everything the bot keeps between events, behind one interface: the durable work journal
 * (which is also event dedupe), card-button claims, reminder subscriptions, local deadlines and
 * reminders sent, uploads waiting for 加入资料库, and the signal that REPORTS_DIR changed.
 * `npm start` uses the embedded implementation under DATA_DIR (./embedded.ts); with REDIS_URL
 * set, several replicas share one Redis (./redis.ts), and nothing that calls them changes.
 *
 * Every method is async, so an implementation over the network fits; the embedded one answers
 * from memory and writes files.
 */
import type { LocalDeadline, Subscription } from "../../commands/reminders.ts";
import type { Answer } from "../../commands/index.ts";

/** A piece of work an acked event asks for. */
export interface Job {
  /** Dedupe key: `msg:<message_id>` for messages (Feishu may re-send one under a new event_id), `evt:<event_id>` otherwise. */
  key: string;
  /** Which handler runs it (message, menu, welcome, left, card). */
  kind: string;
  /** Jobs of one chat run one at a time, in order. */
  chat: string;
  /** The validated event it came from, as JSON. */
  payload: unknown;
  /** When it was accepted (ms). */
  acceptedAt: number;
  /** How many times a run of it was started before (a job that keeps taking the process down is given up). */
  starts?: number;
}

export type Outcome = "done" | "gave_up";

export interface WorkStore {
  /**
   * Record the job unless its key was accepted within the dedupe window; resolves once the record
   * is durable, and only then may the event be acked. False: a repeat, nothing recorded.
   */
  accept(job: Job): Promise<boolean>;
  /** A run of the job is starting (counted, so a job that crashes the process every time is given up). */
  started(key: string): Promise<void>;
  /** The job is finished — its reply succeeded, or it was given up; its key stays for dedupe until it expires. */
  finish(key: string, outcome: Outcome): Promise<void>;
  /** Jobs accepted and not finished, oldest first: resumed at start. */
  unfinished(): Promise<Job[]>;
  /**
   * Several replicas: jobs another replica accepted and then went silent on (it died, or lost the
   * store), now this one's to run — each handed to one replica only. Work asks every few seconds.
   * One process alone has no such jobs and leaves this out.
   */
  takeOver?(): Promise<Job[]>;
}

export interface ClaimStore {
  /** True if the key was free (and is now held for ttlMs); false while someone holds it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface ReminderSettingsData {
  subscriptions: Subscription[];
  deadlines: LocalDeadline[];
}

export interface ReminderStore {
  settings(): Promise<ReminderSettingsData>;
  subscribe(s: Subscription): Promise<void>;
  /** Drops a chat's subscriptions; returns how many. */
  unsubscribe(chatId: string): Promise<number>;
  addDeadline(d: LocalDeadline): Promise<void>;
  removeDeadline(date: string, scope?: string): Promise<number>;
  /** Whether a reminder (its key, its send time) counts as sent. */
  wasSent(key: string, atMs: number): Promise<boolean>;
  /** Take a due reminder to send (false: another sender has it, it was sent, or it failed maxFailures times). */
  claimSend(key: string, maxFailures: number): Promise<boolean>;
  /** After the send succeeded. */
  markSent(key: string, atIso: string): Promise<void>;
  /** After the send failed: releases the claim and returns how many times it failed. */
  markFailed(key: string): Promise<number>;
}

/** What was read from a checked file, kept with it so 加入资料库 need not parse it again. */
export interface UploadMeta {
  fileName: string;
  organ: string | null;
  organShort: string | null;
  region: string | null;
  year: number | null;
  checkedAt: string;
  passed: boolean;
  /** The check answer as first sent, shown again on 确认替换 and 已加入资料库. */
  answer: Answer;
}

export interface PendingUpload {
  /** The file, with its original extension, readable by the parser. */
  bytes: Buffer;
  /** File name (safe) with which it was kept. */
  name: string;
  meta: UploadMeta;
}

export interface UploadStore {
  put(uploadId: string, name: string, bytes: Buffer, meta: UploadMeta): Promise<void>;
  get(uploadId: string): Promise<PendingUpload | null>;
  remove(uploadId: string): Promise<void>;
  /** Deletes uploads kept since before `cutoffMs`. */
  prune(cutoffMs: number): Promise<void>;
}

/** REPORTS_DIR is shared by the replicas: one that adds a report tells the others to read it again. */
export interface ReportsSignal {
  /** This process changed REPORTS_DIR (and has read it again): tell the others. */
  changed(): Promise<void>;
  /** Calls `reload` when another process says REPORTS_DIR changed; returns what stops it. */
  onChange(reload: () => void): () => void;
}

export interface BotState {
  work: WorkStore;
  cards: ClaimStore;
  reminders: ReminderStore;
  uploads: UploadStore;
  reports: ReportsSignal;
  /** What /healthz says about the store; `ok: false` when it cannot be reached (no new work is taken then). */
  health(): Promise<Record<string, unknown> & { ok?: boolean }>;
  /** Writes what is pending and releases files. */
  close(): Promise<void>;
}
