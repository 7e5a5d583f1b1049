// Child process of bench/webhook.ts: the fake Feishu Open API; prints its URL, stops on stdin close.
import { FakeFeishu } from "../test/fakes/feishu.ts";

// Cards are validated by the tests; here the fake must not take CPU from the bot it measures.
const fake = new FakeFeishu(false);
const url = await fake.start();
process.stdout.write(`${url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void fake.stop().then(() => process.exit(0)));
