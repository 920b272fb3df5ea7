// Token ids from an independent implementation of Hugging Face tokenizers (tokenizers.js, pure JavaScript), to check
// the plugin's against. Usage:
//   node reference.mjs --texts FILE (one text a line) --out FILE name=path/to/tokenizer.json ...
// writes {"texts": [...], "tokenizers": {name: {"sha256": of the tokenizer.json, "ids": [[...] per text]}}}.
// With --lines instead of --out, prints one JSON array of ids per text line (for benchmarks/tokenizers.sh).
import { Tokenizer } from "@huggingface/tokenizers";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
let textsFile = null, out = null, lines = false;
const tokenizers = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--texts") textsFile = args[++i];
  else if (args[i] === "--out") out = args[++i];
  else if (args[i] === "--lines") lines = true;
  else tokenizers.push(args[i].split("=", 2));
}
if (!textsFile || (!out && !lines) || tokenizers.length === 0) {
  console.error("usage: node reference.mjs --texts FILE (--out FILE | --lines) name=tokenizer.json ...");
  process.exit(2);
}
const texts = readFileSync(textsFile, "utf8").split("\n");
if (texts.at(-1) === "") texts.pop();

const result = { generator: "benchmarks/tokenizer-reference/reference.mjs with @huggingface/tokenizers " +
  JSON.parse(readFileSync(new URL("./node_modules/@huggingface/tokenizers/package.json", import.meta.url))).version,
  texts, tokenizers: {} };
for (const [name, path] of tokenizers) {
  const bytes = readFileSync(path);
  // no tokenizer_config.json: the plugin reads tokenizer.json alone, so the reference must too
  const tokenizer = new Tokenizer(JSON.parse(bytes.toString("utf8")), {});
  const ids = texts.map((t) => tokenizer.encode(t, { add_special_tokens: true }).ids);
  if (lines) {
    for (const row of ids) process.stdout.write(JSON.stringify(row) + "\n");
  }
  result.tokenizers[name] = { sha256: createHash("sha256").update(bytes).digest("hex"), ids };
}
if (out) writeFileSync(out, JSON.stringify(result, null, 0).replace(/\],\[/g, "],\n[") + "\n");
