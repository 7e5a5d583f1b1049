// Child process of bench/webhook.ts: the fake Feishu Open API; prints its URL, stops on stdin close.
import { FakeFeishu } from "../test/fakes/feishu.ts";

const fake = new FakeFeishu();
const url = await fake.start();
process.stdout.write(`${url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void fake.stop().then(() => process.exit(0)));
