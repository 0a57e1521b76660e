package dev.cria.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread buffers reused across calls, so that kernels converting rows on the fly allocate nothing once warm.
 * The segment is native, not heap: the segment vector loads must only ever see one segment class (see
 * {@link F32Kernels}). A kernel holds a buffer only for the duration of one call and calls no other kernel that
 * takes the same one.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private MemorySegment segment = MemorySegment.NULL;
    private float[] floats = new float[0];

    private Scratch() {
    }

    /** A native segment of at least {@code bytes} bytes, 64-byte aligned, owned by the calling thread. */
    static MemorySegment segment(long bytes) {
        Scratch s = LOCAL.get();
        if (s.segment.byteSize() < bytes) {
            s.segment = Arena.ofAuto().allocate(Math.max(bytes, 2 * s.segment.byteSize()), 64);
        }
        return s.segment;
    }

    /** A float array of at least {@code length} values, owned by the calling thread. */
    static float[] floats(int length) {
        Scratch s = LOCAL.get();
        if (s.floats.length < length) {
            s.floats = new float[Math.max(length, 2 * s.floats.length)];
        }
        return s.floats;
    }
}
