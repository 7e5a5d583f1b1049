/**
 * Feishu's event encryption and request signature.
 * Encrypt: AES-256-CBC, key = SHA-256(Encrypt Key), IV = the first 16 bytes of the base64 payload.
 * Signature: hex(SHA-256(timestamp + nonce + Encrypt Key + raw body bytes)).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const key = createHash("sha256").update(encryptKey, "utf8").digest();
  const buf = Buffer.from(encrypted, "base64");
  if (buf.length < 32 || buf.length % 16 !== 0) throw new Error("密文长度不对");
  const d = createDecipheriv("aes-256-cbc", key, buf.subarray(0, 16));
  return Buffer.concat([d.update(buf.subarray(16)), d.final()]).toString("utf8");
}

/** The inverse of decryptEvent — what Feishu does; used by tests and the load benchmark. */
export function encryptEvent(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash("sha256").update(encryptKey, "utf8").digest();
  const c = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, c.update(plaintext, "utf8"), c.final()]).toString("base64");
}

export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: Uint8Array): string {
  return createHash("sha256").update(timestamp + nonce + encryptKey, "utf8").update(rawBody).digest("hex");
}

export function signatureOk(headers: { timestamp?: string; nonce?: string; signature?: string }, encryptKey: string, rawBody: Uint8Array): boolean {
  const { timestamp, nonce, signature: sig } = headers;
  if (!timestamp || !nonce || !sig) return false;
  const mine = Buffer.from(signature(timestamp, nonce, encryptKey, rawBody));
  const theirs = Buffer.from(sig);
  return mine.length === theirs.length && timingSafeEqual(mine, theirs);
}

/** Constant-time comparison of the verification token. */
export function tokenOk(expected: string, got: unknown): boolean {
  if (typeof got !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signed requests older or newer than this are refused (replay window; our choice, Feishu sets none). */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** X-Lark-Request-Timestamp is in seconds. */
export function timestampFresh(timestamp: string | undefined, nowMs: number, windowMs = SIGNATURE_WINDOW_MS): boolean {
  const t = Number(timestamp) * 1000;
  return Number.isFinite(t) && t > 0 && Math.abs(nowMs - t) <= windowMs;
}
