// llama.cpp (through node-llama-cpp) as the live reference of LlamaCppReferenceTest.
// Usage: node llamacpp-reference.mjs <node-llama-cpp index.js> <model.gguf> greedy <n> <context>
//          prints the greedy continuation of BOS: n token ids on one line
//        node llamacpp-reference.mjs <node-llama-cpp index.js> <model.gguf> logits <context> <id,id,...>
//          prints, for each input token, one line with the logits after it
const [, , modulePath, modelPath, mode, ...args] = process.argv;
const { getLlama } = await import(modulePath);
// f32 keys and values and no flash attention, so that the reference computes in f32 like Cria (llama.cpp's default cache is f16).
const EXACT = { experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32", flashAttention: false };
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const lines = [];
if (mode === "greedy") {
  const [n, contextSize] = args.map(Number);
  const ctx = await model.createContext({ contextSize, threads: 1, ...EXACT });
  const seq = ctx.getSequence();
  const out = [];
  for await (const t of seq.evaluate([model.tokens.bos], { temperature: 0 })) {
    out.push(t);
    if (out.length >= n) break;
  }
  lines.push(out.join(" "));
} else if (mode === "logits") {
  const contextSize = Number(args[0]);
  const tokens = args[1].split(",").map(Number);
  const ctx = await model.createContext({ contextSize, threads: 1, ...EXACT });
  const seq = ctx.getSequence();
  const result = await seq.controlledEvaluate(tokens.map((t) => [t, { generateNext: { logits: true } }]));
  for (let i = 0; i < tokens.length; i++) {
    const logits = result[i].next.logits;
    const row = [];
    for (let j = 0; j < logits.size; j++) row.push(logits.get(j));
    lines.push(row.join(" "));
  }
} else {
  throw new Error("unknown mode " + mode);
}
// Exit only once stdout is flushed: a pipe is written asynchronously and process.exit would cut it short.
process.stdout.write(lines.join("\n") + "\n", () => process.exit(0));
