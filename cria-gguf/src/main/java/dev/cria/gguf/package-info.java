/**
 * The GGUF container format of llama.cpp: {@link dev.cria.gguf.GgufFile} memory-maps and checks a file and hands
 * out metadata and tensor slices, {@link dev.cria.gguf.GgufWriter} writes one atomically.
 */
package dev.cria.gguf;
