// An independent reader of a WACZ file, for the tests of archive/wacz: it
// opens the zip with yauzl (not Go's archive/zip), extracts every entry into
// a folder, and checks datapackage.json and datapackage-digest.json against
// the bytes it read. Usage: node reader.mjs FILE.wacz OUTDIR
// It prints one JSON object: {entries: [...], problems: [...]}.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import yauzl from "yauzl";

const [wacz, out] = process.argv.slice(2);

function readEntries(path) {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = [];
      zip.on("error", reject);
      zip.on("end", () => resolve(entries));
      zip.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks = [];
          stream.on("data", (c) => chunks.push(c));
          stream.on("error", reject);
          stream.on("end", () => {
            const data = Buffer.concat(chunks);
            entries.push({
              name: entry.fileName,
              method: entry.compressionMethod,
              size: data.length,
              sha256: "sha256:" + createHash("sha256").update(data).digest("hex"),
              data,
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const entries = await readEntries(wacz);
const problems = [];
const byName = new Map(entries.map((e) => [e.name, e]));
for (const e of entries) {
  const path = join(out, e.name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, e.data);
  if (e.name.startsWith("archive/") && e.method !== 0) {
    problems.push(`${e.name}: compression method ${e.method}, not 0 (stored)`);
  }
}
const dp = JSON.parse(byName.get("datapackage.json")?.data ?? "null");
if (!dp) {
  problems.push("no datapackage.json");
} else {
  if (dp.profile !== "data-package") problems.push(`profile ${dp.profile}`);
  if (dp.wacz_version !== "1.1.1") problems.push(`wacz_version ${dp.wacz_version}`);
  const listed = new Set();
  for (const r of dp.resources ?? []) {
    listed.add(r.path);
    const e = byName.get(r.path);
    if (!e) { problems.push(`${r.path}: listed, not in the zip`); continue; }
    if (e.sha256 !== r.hash) problems.push(`${r.path}: hash ${r.hash}, the bytes have ${e.sha256}`);
    if (e.size !== r.bytes) problems.push(`${r.path}: bytes ${r.bytes}, the entry has ${e.size}`);
  }
  for (const e of entries) {
    if (e.name !== "datapackage.json" && e.name !== "datapackage-digest.json" && !listed.has(e.name)) {
      problems.push(`${e.name}: in the zip, not in datapackage.json`);
    }
  }
  for (const need of ["indexes/index.cdxj", "pages/pages.jsonl"]) {
    if (!listed.has(need)) problems.push(`${need}: not listed`);
  }
}
const dg = JSON.parse(byName.get("datapackage-digest.json")?.data ?? "null");
if (!dg) problems.push("no datapackage-digest.json");
else if (dg.path !== "datapackage.json" || dg.hash !== byName.get("datapackage.json")?.sha256) {
  problems.push(`datapackage-digest.json: ${dg.path} ${dg.hash} does not match datapackage.json`);
}
const pages = (byName.get("pages/pages.jsonl")?.data.toString() ?? "").split("\n").filter(Boolean).map((l) => JSON.parse(l));
if (pages[0]?.format !== "json-pages-1.0") problems.push(`pages.jsonl header ${JSON.stringify(pages[0])}`);

console.log(JSON.stringify({
  entries: entries.map(({ name, method, size, sha256 }) => ({ name, method, size, sha256 })),
  pages: pages.slice(1),
  problems,
}));
