/**
 * "kill -9 under load": the bot as `npm start` runs it, in its own process, takes a burst of
 * events faster than the (slowed) Open API lets it answer; it is killed with SIGKILL with a
 * backlog, started again on the same DATA_DIR, and Feishu's side is played as Feishu does it:
 * only events that got no 200 are re-sent (plus some acked ones again, as re-deliveries happen).
 * Counts what a user would see: acked events never answered, events answered twice.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startBotProcess } from "../test/helpers/process.ts";
import { feishuRequest, messageEvent } from "../test/helpers/events.ts";
import { balancedCells, renderReport } from "../test/helpers/render.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, init: RequestInit): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: init.headers as Record<string, string> }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end(init.body as string);
  });
}

export async function benchKill9(root: string, events = 2000, rate = 500, killAfterAcked = 1500) {
  const fake = spawn(process.execPath, ["--import", "tsx", join(root, "bench", "webhook-fake.ts")], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const fakeUrl = await new Promise<string>((r) => createInterface({ input: fake.stdout! }).once("line", r));
  const json = (path: string, body?: unknown) =>
    fetch(`${fakeUrl}${path}`, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : undefined).then((r) => r.json());
  // Each reply takes 30 ms: 8 at a time, about 270 answers a second, fewer than arrive.
  await json("/__stall", { kind: "reply", ms: 30, times: 1_000_000 });
  const evs = Array.from({ length: events }, (_, i) => messageEvent({ text: "/帮助", chatId: `oc_${i % 50}` }));
  await json("/__messages", { messages: evs.map((e) => ({ messageId: e.event.message.message_id, chatId: e.event.message.chat_id, chatType: "p2p", msgType: "text", content: e.event.message.content })) });
  const dir = mkdtempSync(join(tmpdir(), "nianbao-kill9-"));
  const reportsDir = join(dir, "reports");
  mkdirSync(reportsDir);
  writeFileSync(join(reportsDir, "a.txt"), renderReport({ organ: "李楼镇", year: 2020, cells: balancedCells(3) }));
  const dataDir = join(dir, "data");
  mkdirSync(dataDir);
  const start = () => startBotProcess({ fakeUrl, appSecret: "secret-xyz", dataDir, reportsDir });
  const requests = evs.map((e) => feishuRequest(e));

  let bot = await start();
  const acked = new Set<number>();
  let killed = false;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < events && !killed; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      post(`${bot.url}/feishu/events`, requests[i]).then((status) => {
        if (status === 200) acked.add(i);
        if (!killed && acked.size >= killAfterAcked) {
          killed = true;
          bot.child.kill("SIGKILL");
        }
      }),
    );
  }
  await Promise.all(inflight);
  if (!killed) bot.child.kill("SIGKILL");
  await bot.exited;
  const before = (await json("/__stats")) as { uniqueReplies: number };

  bot = await start();
  // Feishu re-sends what was not acked; one acked event in ten is re-delivered too.
  const again = evs.map((_, i) => i).filter((i) => !acked.has(i) || i % 10 === 0);
  await Promise.all(again.map((i) => post(`${bot.url}/feishu/events`, requests[i])));
  const deadline = Date.now() + 180_000;
  let stats = (await json("/__stats")) as { replies: number; uniqueReplies: number; uuidRepeats: number };
  while (stats.uniqueReplies < events && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    stats = (await json("/__stats")) as typeof stats;
  }
  bot.child.kill("SIGTERM");
  await bot.exited;
  fake.stdin!.end();
  agent.destroy();
  return {
    events,
    ackedBeforeKill: acked.size,
    answeredBeforeKill: before.uniqueReplies,
    redelivered: again.length,
    ackedLost: events - stats.uniqueReplies,
    answeredTwice: stats.replies - stats.uniqueReplies,
    uuidRepeats: stats.uuidRepeats,
  };
}
