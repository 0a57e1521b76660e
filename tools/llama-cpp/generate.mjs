// Greedy decoding with llama.cpp (node-llama-cpp's CPU build): the reference token ids for Cria's tests.
//   node generate.mjs --model F.gguf --tokens "1 2 3" --n N [--threads T]
// stdout: a JSON array of the N token ids that follow the prompt, each the argmax of the logits (EOS included;
// generation does not stop at it). The prompt is fed as given: add BOS yourself.
import {parseArgs, positiveInt, openContext, fail} from "./common.mjs";

const usage = "usage: node generate.mjs --model F.gguf --tokens \"1 2 3\" --n N [--threads T]";
const args = parseArgs(process.argv.slice(2), {model: null, tokens: null, n: null, threads: "0"}, usage);
const prompt = args.tokens.trim().split(/[\s,]+/).filter(s => s.length > 0).map(s => positiveInt("tokens", s, 0));
if (prompt.length === 0)
    fail("--tokens must hold at least one id (for example BOS)");
const n = positiveInt("n", args.n);
const threads = positiveInt("threads", args.threads, 0);

const {model, context} = await openContext(args.model, prompt.length + n, threads, 512);
const vocab = model.tokens.vocabularySize ?? Infinity;
for (const id of prompt)
    if (id >= vocab)
        fail(`token ${id} is outside the vocabulary (${vocab})`);
const sequence = context.getSequence();
const out = [];
let input = prompt;
while (out.length < n) {
    // One decode per step, logits for the last position only, argmax sampling (temperature 0, no penalties).
    const result = await sequence.controlledEvaluate(input.map((t, i) => i === input.length - 1 ? [t, {generateNext: {token: true}}] : t));
    const next = result[input.length - 1]?.next?.token;
    if (next == null)
        fail("llama.cpp returned no token");
    out.push(next);
    input = [next];
}
process.stdout.write(JSON.stringify(out) + "\n");
await context.dispose();
await model.dispose();
