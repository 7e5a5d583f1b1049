/**
 * npm run bench — prints the project's performance figures (never run as a test).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchParse } from "./parse.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const p = benchParse(root);
console.log(`parse: ${p.files} dev reports, ${p.reportsPerSecond} reports/s on one core (${p.msPerReport.toFixed(3)} ms/report)`);
