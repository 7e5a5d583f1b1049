// tsx bench/kill9-run.ts — the "kill -9 under load" figure alone.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchKill9 } from "./kill9.ts";
console.log(await benchKill9(join(dirname(fileURLToPath(import.meta.url)), "..")));
