import { readFileSync } from "node:fs";
import { pdfText } from "../parser/documents.ts";
console.log(await pdfText(readFileSync(process.argv[2])));
