package dev.cria.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cria.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile files end in a {@link GgufFormatException} that says where and what, never in anything else. */
class GgufCorruptFileTest {

    private static final int UINT32 = 4;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int F32 = 0;

    @TempDir
    Path dir;

    private GgufFormatException openFails(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("bad.gguf"), bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private GgufFormatException openFails(RawGguf raw) throws IOException {
        return openFails(raw.toByteArray());
    }

    private static void assertMentions(GgufFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    /** A small valid file with metadata of several kinds and two tensors; returns it and where its last tensor ends. */
    private byte[] smallValidFile() throws IOException {
        Path file = dir.resolve("valid.gguf");
        GgufWriter writer = new GgufWriter();
        GgufRoundTripTest.everyKindOfValue().forEach(writer::put);
        writer.addTensor("a", new long[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8})
                .addTensor("b", new long[] {8}, new float[] {9, 9, 9, 9, 9, 9, 9, 9})
                .write(file);
        return Files.readAllBytes(file);
    }

    @Test
    void everyTruncationOfAValidFileIsAFormatErrorWithAnOffset() throws IOException {
        byte[] whole = smallValidFile();
        assertEquals(0, whole.length % 32, "the last tensor (32 bytes) ends the file without padding");
        for (int length = 0; length < whole.length; length++) {
            GgufFormatException e = openFails(Arrays.copyOf(whole, length));
            assertTrue(e.offset().isPresent(), "truncated to " + length + ": " + e.getMessage());
            assertTrue(e.offset().getAsLong() <= length, "truncated to " + length + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedRealVocabularyNamesTheArrayBeingRead() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.file("tokenizer/vectors/ggml-vocab-llama-spm.gguf"));
        assertMentions(openFails(Arrays.copyOf(whole, 3)), "byte 0", "the magic");
        assertMentions(openFails(Arrays.copyOf(whole, 20)), "byte 16", "metadata key-value count");
        assertMentions(openFails(Arrays.copyOf(whole, 100_000)), "array 'tokenizer.ggml.tokens'");
        assertMentions(openFails(Arrays.copyOf(whole, 500_000)), "array 'tokenizer.ggml.scores' claims 32000 FLOAT32 elements");
        assertMentions(openFails(Arrays.copyOf(whole, whole.length - 1)), "BOOL value of 'tokenizer.ggml.add_eos_token'");
    }

    @Test
    void wrongMagicIsNotAGgufFile() throws IOException {
        byte[] bytes = smallValidFile();
        bytes[3] = 'L';
        assertMentions(openFails(bytes), "byte 0: not a GGUF file: the first bytes are 47 47 55 4c, expected 47 47 55 46");
    }

    @Test
    void version1IsRefusedWithTheReason() throws IOException {
        GgufFormatException e = openFails(RawGguf.header(1, 0, 0));
        assertMentions(e, "byte 4: GGUF version 1 is not supported", "expected version 2 or 3");
    }

    @Test
    void version2IsReadLikeVersion3() throws IOException {
        Path file = RawGguf.header(2, 0, 1).key("general.name", STRING).str("v2").writeTo(dir.resolve("v2.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(2, gguf.version());
            assertEquals("v2", gguf.metadata().getString("general.name"));
        }
    }

    @Test
    void unknownAndBigEndianVersionsAreRefused() throws IOException {
        assertMentions(openFails(RawGguf.header(4, 0, 0)), "unsupported GGUF version 4, expected 2 or 3");
        assertMentions(openFails(RawGguf.header(0x0300_0000, 0, 0)), "big-endian GGUF (version 3) is not supported");
    }

    @Test
    void unknownValueTypeNamesKeyAndTypeId() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 2).key("ok", UINT32).u32(1);
        int at = raw.size() + 8 + "general.odd".length();
        raw.key("general.odd", 13).u32(0);
        assertMentions(openFails(raw), "byte " + at + ": metadata key 'general.odd' has unknown value type 13");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("arr", ARRAY).u32(77).u64(0)),
                "array 'arr' has unknown element type 77");
    }

    @Test
    void unknownTensorTypeNamesTheTensorAndTypeId() throws IOException {
        for (int typeId : new int[] {4, 31, 1000}) {
            RawGguf raw = RawGguf.header(3, 1, 0);
            int at = raw.size() + 8 + 3 + 4 + 8;
            raw.tensorInfo("emb", typeId, 0, 4).pad(32).bytes(new byte[64]);
            assertMentions(openFails(raw), "byte " + at + ": tensor 'emb' has unknown ggml type " + typeId);
        }
    }

    @Test
    void tensorBeyondTheEndOfTheFileIsAnError() throws IOException {
        RawGguf raw = RawGguf.header(3, 2, 0).tensorInfo("a", F32, 0, 8);
        int secondInfo = raw.size();
        raw.tensorInfo("b", F32, 1L << 40, 8).pad(32).bytes(new byte[64]);
        GgufFormatException e = openFails(raw);
        assertMentions(e, "byte " + secondInfo + ": tensor 'b' (F32 [8], 32 bytes)", "runs past the end of the file");

        // The data of the last tensor is one byte short.
        RawGguf shortData = RawGguf.header(3, 1, 0).tensorInfo("w", 8 /* Q8_0 */, 0, 64, 2).pad(32).bytes(new byte[4 * 34 - 1]);
        assertMentions(openFails(shortData), "tensor 'w' (Q8_0 [64, 2], 136 bytes)", "runs past the end of the file");
    }

    @Test
    void misalignedTensorOffsetIsAnError() throws IOException {
        RawGguf raw = RawGguf.header(3, 1, 0).tensorInfo("a", F32, 4, 1).pad(32).bytes(new byte[64]);
        assertMentions(openFails(raw), "tensor 'a' (F32) has data offset 4, expected a multiple of the alignment 32");
    }

    @Test
    void tensorShapesGgmlCannotHoldAreErrors() throws IOException {
        assertMentions(openFails(RawGguf.header(3, 1, 0).tensorInfo("t", F32, 0, 1, 1, 1, 1, 1).pad(32).bytes(new byte[4])),
                "tensor 't' has 5 dimensions, ggml allows at most 4");
        assertMentions(openFails(RawGguf.header(3, 1, 0).tensorInfo("t", 2 /* Q4_0 */, 0, 33).pad(32).bytes(new byte[64])),
                "tensor 't' (Q4_0 [33])", "blocks of 32 elements, but the first dimension is 33");
        assertMentions(openFails(RawGguf.header(3, 1, 0).tensorInfo("t", F32, 0, -1L).pad(32)),
                "dimension 0 of tensor 't' is 18446744073709551615");
        assertMentions(openFails(RawGguf.header(3, 1, 0).tensorInfo("t", F32, 0, 1L << 32, 1L << 32).pad(32)),
                "tensor 't' (F32 [4294967296, 4294967296])", "overflows");
    }

    @Test
    void duplicateKeysAndTensorNamesAreErrors() throws IOException {
        assertMentions(openFails(RawGguf.header(3, 0, 2).key("k", UINT32).u32(1).key("k", UINT32).u32(2)),
                "byte 41: duplicate metadata key 'k' (first at byte 24)");
        assertMentions(openFails(RawGguf.header(3, 2, 0).tensorInfo("t", F32, 0, 1).tensorInfo("t", F32, 32, 1).pad(32)
                .bytes(new byte[64])), "duplicate tensor name 't'");
    }

    @Test
    void invalidUtf8InAKeyOrStringIsAnErrorAtTheBadByte() throws IOException {
        byte[] key = {'a', 'b', (byte) 0xC3, '('};
        GgufFormatException e = openFails(RawGguf.header(3, 0, 1).str(key).u32(UINT32).u32(0));
        assertMentions(e, "byte " + (24 + 8 + 2) + ": metadata key 0 is not valid UTF-8: bytes 61 62 c3 28");
        // An overlong encoding of '/', inside the second element of a string array.
        RawGguf raw = RawGguf.header(3, 0, 1).key("toks", ARRAY).u32(STRING).u64(2).str("fine");
        int bad = raw.size() + 8;
        raw.str(new byte[] {(byte) 0xC0, (byte) 0xAF});
        assertMentions(openFails(raw), "byte " + bad + ": element 1 of array 'toks' is not valid UTF-8");
        assertMentions(openFails(RawGguf.header(3, 1, 0).str(new byte[] {(byte) 0xFF}).u32(1).u64(1).u32(F32).u64(0)),
                "the name of tensor 0 is not valid UTF-8");
    }

    @Test
    void replacementCharacterItselfIsValidText() throws IOException {
        Path file = RawGguf.header(3, 0, 1).key("k", STRING).str("\uFFFD").writeTo(dir.resolve("fffd.gguf"));
        assertEquals("\uFFFD", GgufFile.readMetadata(file).getString("k"));
    }

    @Test
    void lengthsAndCountsBeyondTheFileAreErrorsNotAllocations() throws IOException {
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("k", STRING).u64(1L << 40).bytes(new byte[8])),
                "the value of 'k' has length 1099511627776, but only 8 bytes are left in the file");
        assertMentions(openFails(RawGguf.header(3, 0, 1L << 40)), "byte 16: metadata count 1099511627776 cannot fit");
        assertMentions(openFails(RawGguf.header(3, 1L << 50, 0)), "byte 8: tensor count 1125899906842624 cannot fit");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("a", ARRAY).u32(STRING).u64(1L << 60)),
                "array 'a' claims 1152921504606846976 STRING elements");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("a", ARRAY).u32(12).u64(-1L)),
                "array 'a' claims 18446744073709551615 FLOAT64 elements");
    }

    @Test
    void boolOtherThanZeroOrOneIsAnError() throws IOException {
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("b", 7).u8(2)), "BOOL value of 'b' is 2, expected 0 or 1");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("bs", ARRAY).u32(7).u64(3).u8(1).u8(0).u8(9)),
                "element 2 of BOOL array 'bs' is 9");
    }

    @Test
    void alignmentMustBeAUint32PowerOfTwo() throws IOException {
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("general.alignment", UINT32).u32(48)),
                "general.alignment is 48, expected a power of two");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("general.alignment", UINT32).u32(0)),
                "general.alignment is 0, expected a power of two");
        assertMentions(openFails(RawGguf.header(3, 0, 1).key("general.alignment", 5 /* INT32 */).u32(64)),
                "general.alignment must be a UINT32, found INT32");
    }

    @Test
    void arraysNestedTooDeeplyAreRefused() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 1).key("deep", ARRAY);
        for (int level = 0; level < 40; level++) {
            raw.u32(ARRAY).u64(1);
        }
        raw.u32(UINT32).u64(0);
        assertMentions(openFails(raw), "arrays of 'deep' nest deeper than 16 levels");
    }

    @Test
    void randomByteDamageNeverEscapesAsAnotherException() throws IOException {
        byte[] whole = smallValidFile();
        Random random = new Random(20240601);
        Path file = dir.resolve("fuzz.gguf");
        int opened = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = whole.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = random.nextInt(Math.min(bytes.length, 900));
                bytes[at] = random.nextInt(4) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            Files.write(file, bytes);
            try (GgufFile gguf = GgufFile.open(file)) {
                for (GgufTensor t : gguf.tensors()) {
                    t.data().toArray(ValueLayout.JAVA_BYTE);
                }
                gguf.describe();
                opened++;
            } catch (GgufFormatException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()));
            } catch (RuntimeException | IOException other) {
                fail("round " + round + " escaped as " + other, other);
            }
        }
        assertTrue(opened > 0 && opened < 3000, "some damage is harmless, most is caught: " + opened);
    }

    @Test
    void emptyAndTinyFilesAreTruncatedHeaders() throws IOException {
        assertMentions(openFails(new byte[0]), "byte 0: file ends inside the magic \"GGUF\": needs 4 bytes, 0 left");
        assertMentions(openFails("GGUF".getBytes(StandardCharsets.US_ASCII)), "byte 4: file ends inside the version");
    }
}
