/**
 * Hostile files, made in the test: a Word file that inflates to hundreds of MB, PDFs that nest
 * arrays past any stack, repeat one page 200,000 times, or inflate a stream to hundreds of MB.
 * Compressed data is produced by streaming zlib, so making them costs little memory.
 */
import { createDeflate, createDeflateRaw, deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** CRC-32 (the zip one), continued from `prev`. */
const crc32 = {
  unsigned(buf: Buffer, prev = 0): number {
    let c = (prev ^ 0xffffffff) >>> 0;
    for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  },
};

/** `total` bytes of `unit` repeated, deflated chunk by chunk (raw for zip, with the CRC-32 of the whole; zlib for PDF). */
async function deflateRepeated(unit: Buffer, total: number, zip = true): Promise<{ data: Buffer; crc: number }> {
  const chunk = Buffer.concat(Array.from({ length: Math.ceil((1 << 20) / unit.length) }, () => unit)).subarray(0, 1 << 20);
  const z = zip ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on("data", (d: Buffer) => out.push(d));
  const done = new Promise((r) => z.on("end", r));
  let crc = 0;
  for (let left = total; left > 0; left -= chunk.length) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (zip) crc = crc32.unsigned(part, crc);
    if (!z.write(part)) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  return { data: Buffer.concat(out), crc };
}

/** A zip of deflated entries, with honest sizes in its directory. */
function zip(entries: { name: string; data: Buffer; crc: number; size: number }[]): Buffer {
  const parts: Buffer[] = [];
  const dir: Buffer[] = [];
  let at = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(at, 42);
    parts.push(local, name, e.data);
    dir.push(central, name);
    at += 30 + name.length + e.data.length;
  }
  const dirBytes = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...parts, dirBytes, end]);
}

/** A .docx whose document.xml inflates to `mb` MB of paragraphs. */
export async function docxBomb(mb: number): Promise<Buffer> {
  const paragraph = Buffer.from("<w:p><w:r><w:t>本年新收政府信息公开申请 12 件</w:t></w:r></w:p>");
  const body = await deflateRepeated(paragraph, mb * 1024 * 1024);
  const types = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>');
  return zip([
    { name: "[Content_Types].xml", data: deflateSync(types).subarray(2, -4), crc: crc32.unsigned(types), size: types.length },
    { name: "word/document.xml", data: body.data, crc: body.crc, size: mb * 1024 * 1024 },
  ]);
}

/** A PDF from its objects (1-based, in order), with a correct cross-reference table. */
export function pdfOf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n")];
  let at = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(at);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof o === "string" ? Buffer.from(o, "latin1") : o, Buffer.from("\nendobj\n")]);
    parts.push(b);
    at += b.length;
  });
  const n = objects.length + 1;
  parts.push(
    Buffer.from(
      `xref\n0 ${n}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size ${n} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`,
      "latin1",
    ),
  );
  return Buffer.concat(parts);
}

const page = (extra = "") => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R${extra} >>`;
const text = "BT /F1 12 Tf 72 720 Td (2023 report) Tj ET";
const contents = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;

/** Arrays nested `depth` deep in the page: a recursive reader runs out of stack. */
export function nestedArrayPdf(depth = 100_000): Buffer {
  return pdfOf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(` /Annots ${"[".repeat(depth)}${"]".repeat(depth)}`), contents]);
}

/** One page object listed `pages` times. */
export function repeatedPagePdf(pages = 200_000): Buffer {
  return pdfOf(["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${"3 0 R ".repeat(pages)}] /Count ${pages} >>`, page(), contents]);
}

/** A page whose content stream inflates to `mb` MB. */
export async function flateBombPdf(mb: number): Promise<Buffer> {
  const unit = Buffer.from("0 0 m 1 1 l S\n");
  const stream = (await deflateRepeated(unit, mb * 1024 * 1024, false)).data;
  return pdfOf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    page(),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, "latin1"), stream, Buffer.from("\nendstream")]),
  ]);
}
