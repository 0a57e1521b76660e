// Shared by the peer scripts: argument parsing and loading a model into a CPU context of node-llama-cpp.
import {getLlama, LlamaLogLevel} from "./node_modules/node-llama-cpp/dist/index.js";

/** Parses `--name value` pairs; every name must be in `spec` (name -> default, or null when required). */
export function parseArgs(argv, spec, usage) {
    const out = {...spec};
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].startsWith("--") ? argv[i].slice(2) : null;
        if (name == null || !(name in spec) || i + 1 >= argv.length)
            fail(`unexpected argument '${argv[i]}'\n${usage}`);
        out[name] = argv[++i];
    }
    for (const [name, value] of Object.entries(out))
        if (value == null)
            fail(`missing --${name}\n${usage}`);
    return out;
}

export function fail(message) {
    process.stderr.write(message + "\n");
    process.exit(2);
}

export function positiveInt(name, text, min = 1) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
        fail(`--${name} must be an integer >= ${min}, got '${text}'`);
    return n;
}

/**
 * Loads `modelPath` on the CPU (the prebuilt CPU binaries only: nothing is compiled or downloaded) and creates a
 * context of `contextSize` tokens whose evaluations use exactly `threads` threads (0: node-llama-cpp's default).
 */
export async function openContext(modelPath, contextSize, threads, batchSize) {
    const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 0});
    const model = await llama.loadModel({modelPath});
    const options = {contextSize, batchSize: Math.min(batchSize, contextSize)};
    if (threads > 0)
        options.threads = {ideal: threads, min: threads};
    const context = await model.createContext(options);
    return {llama, model, context};
}
