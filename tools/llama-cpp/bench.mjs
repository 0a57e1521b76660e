// llama-bench-like throughput of llama.cpp (node-llama-cpp's CPU build): the speed Cria must meet.
//   node bench.mjs --model F.gguf [--pp 128] [--tg 128] [--reps 5] [--threads T] [--seed S]
// Each repetition starts from an empty KV cache, processes P random tokens as one batch (logits of the last
// only, as llama-bench), then decodes G tokens one at a time (each step feeds the argmax of the previous logits).
// One unmeasured warm-up repetition runs first. stdout:
//   prefill: X tok/s ± S
//   decode: Y tok/s ± S
// X and Y are medians over the repetitions, S the sample standard deviation; --pp 0 skips prefill (decode then
// starts from BOS). stderr gets the per-repetition rates as JSON.
import {parseArgs, positiveInt, openContext} from "./common.mjs";

const usage = "usage: node bench.mjs --model F.gguf [--pp 128] [--tg 128] [--reps 5] [--threads T] [--seed S]";
const args = parseArgs(process.argv.slice(2), {model: null, pp: "128", tg: "128", reps: "5", threads: "0", seed: "42"}, usage);
const pp = positiveInt("pp", args.pp, 0);
const tg = positiveInt("tg", args.tg, 0);
const reps = positiveInt("reps", args.reps);
const threads = positiveInt("threads", args.threads, 0);
let seed = positiveInt("seed", args.seed, 0);

const {model, context} = await openContext(args.model, Math.max(pp + tg, 1), threads, Math.max(pp, 1));
const sequence = context.getSequence();
const vocab = model.tokens.vocabularySize;
const bos = model.tokens.bos ?? 1;

// A 31-bit linear congruential generator, so the prompt is the same on every run.
function randomToken() {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % vocab;
}

const last = t => [t, {generateNext: {token: true}}];

async function run() {
    await sequence.clearHistory();
    let prefillSeconds = null;
    let next = bos;
    if (pp > 0) {
        const prompt = Array.from({length: pp}, randomToken);
        const start = process.hrtime.bigint();
        const result = await sequence.controlledEvaluate(prompt.map((t, i) => i === pp - 1 ? last(t) : t));
        prefillSeconds = Number(process.hrtime.bigint() - start) / 1e9;
        next = result[pp - 1].next.token;
    }
    let decodeSeconds = null;
    if (tg > 0) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < tg; i++) {
            const result = await sequence.controlledEvaluate([last(next)]);
            next = result[0].next.token;
        }
        decodeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    }
    return {prefill: prefillSeconds == null ? null : pp / prefillSeconds, decode: decodeSeconds == null ? null : tg / decodeSeconds};
}

function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function stddev(xs) {
    if (xs.length < 2)
        return 0;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

await run();
const results = [];
for (let r = 0; r < reps; r++)
    results.push(await run());
process.stderr.write(JSON.stringify({model: args.model, pp, tg, reps, threads: context.currentThreads, results}) + "\n");
for (const phase of ["prefill", "decode"]) {
    const rates = results.map(r => r[phase]).filter(x => x != null);
    if (rates.length > 0)
        process.stdout.write(`${phase}: ${median(rates).toFixed(2)} tok/s ± ${stddev(rates).toFixed(2)}\n`);
}
await context.dispose();
await model.dispose();
