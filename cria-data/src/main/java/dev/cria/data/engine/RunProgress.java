package dev.cria.data.engine;

/**
 * What the engine tells whoever shows progress. Called from worker threads: implementations must be thread-safe.
 */
public interface RunProgress {

    /** A pass over the input starts; {@code totalBytes} is the input size as stored. */
    void phase(String name, long totalBytes);

    /** {@code bytes} more input bytes and {@code documents} more documents were read. */
    void advance(long bytes, long documents);

    /** The run finished (or failed); release the console. */
    void done();

    RunProgress NONE = new RunProgress() {
        @Override
        public void phase(String name, long totalBytes) {
        }

        @Override
        public void advance(long bytes, long documents) {
        }

        @Override
        public void done() {
        }
    };
}
