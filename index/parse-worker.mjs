// Entry of a parse worker thread (index/parse-pool.ts): loads the TypeScript worker through
// tsx's API, so the pool works the same under `tsx`, `npm start`, the tests and the benchmark.
import { tsImport } from "tsx/esm/api";

await tsImport("./parse-worker.ts", import.meta.url);
