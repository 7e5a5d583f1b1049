// Child process of bench/webhook.ts: sends encrypted, signed events at a fixed rate; prints latencies.
//   tsx bench/webhook-load.ts URL FAKE_URL RATE SECONDS [WARMUP_SECONDS]
// The first WARMUP_SECONDS of events are sent and answered like the rest but their latencies are
// not reported: a server that has run a while is what Feishu talks to, not one compiling its code.
import { Agent, request } from "node:http";
import { ENCRYPT_KEY, feishuRequest, messageEvent } from "../test/helpers/events.ts";

// Keep-alive sockets, as Feishu's pushers use; node:http costs less per request than fetch here.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, init: RequestInit): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: init.headers as Record<string, string> }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(init.body as string);
  });
}

const [url, fakeUrl, rateArg, secondsArg, warmupArg] = process.argv.slice(2);
const rate = Number(rateArg);
const warmup = rate * Number(warmupArg ?? 0);
const total = warmup + rate * Number(secondsArg);
const questions = ["李楼镇 2020 依申请数", "西店镇 2019 行政复议", "/帮助", "悦来镇 2020 结转下年度", "/校验"];
// Prepared first so encryption and signing do not count against the server.
const events = Array.from({ length: total }, (_, i) => messageEvent({ text: questions[i % questions.length], chatId: `oc_${i % 50}` }));
// Feishu knows each message before its event arrives (the bot replies to it): tell the fake.
await fetch(`${fakeUrl}/__messages`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ messages: events.map((e) => ({ messageId: e.event.message.message_id, chatId: e.event.message.chat_id, chatType: "p2p", msgType: "text", content: e.event.message.content })) }),
});
const requests = events.map((e) => feishuRequest(e, { encryptKey: ENCRYPT_KEY }));
// One event in ten is a re-delivery of an earlier one: it must not be answered again.
for (let i = 10; i < total; i += 10) requests[i] = requests[i - 7];
const unique = new Set(requests.map((r) => r.body)).size;
const latencies: number[] = [];
let failed = 0;
const t0 = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const wait = t0 + (i * 1000) / rate - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const start = performance.now();
  inflight.push(
    post(url, requests[i])
      .then((status) => {
        if (status !== 200) failed++;
        if (i >= warmup) latencies.push(performance.now() - start);
      })
      .catch(() => void failed++),
  );
}
await Promise.all(inflight);
agent.destroy();
process.stdout.write(`${JSON.stringify({ total, unique, failed, seconds: (performance.now() - t0) / 1000, measured: total - warmup, latencies })}\n`);
