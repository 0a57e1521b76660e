package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A SentencePiece model, encoding and decoding exactly as the library does (sentencepiece_processor.cc):
 * normalize, segment by the model type (BPE, unigram, char, word), then map unknown symbols to byte pieces
 * ({@code byte_fallback}) or to one {@code <unk>} per run of unknowns.
 */
public final class SentencePieceModel implements Tokenizer {
    private final ModelProto proto;
    private final String source;
    private final Vocabulary vocab;
    private final Normalizer normalizer;
    private final Normalizer denormalizer;
    private final Segmenter segmenter;
    private final boolean byteFallback;
    private final boolean bosWsConsumable;
    private final boolean removeExtraWhitespaces;
    private final byte[] unkSurface;
    private final int bosId;
    private final int eosId;
    private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

    /** Per-thread buffers: encoding allocates only its result array once the word cache is warm. */
    private static final class State {
        final GrowableBytes normalized = new GrowableBytes(1024);
        final Normalizer.Scratch normalizerScratch = new Normalizer.Scratch();
        final IntList codes = new IntList(256);
        final IntList ids = new IntList(256);
        final SegmenterScratch segmenter = new SegmenterScratch();
    }

    private SentencePieceModel(ModelProto proto, String source) throws TokenizerFormatException {
        this.proto = proto;
        this.source = source;
        TrainerSpec trainer = proto.trainerSpec();
        NormalizerSpec norm = proto.normalizerSpec();
        this.byteFallback = trainer.byteFallback();
        this.vocab = new Vocabulary(proto.pieces(), byteFallback, source);
        PrefixMatcher userDefined = vocab.userDefined.isEmpty() ? null : new PrefixMatcher(vocab.userDefined);
        this.normalizer = new Normalizer(norm, trainer.treatWhitespaceAsSuffix(), CharsMaps.of(norm.precompiledCharsmap(), source), userDefined);
        NormalizerSpec denorm = proto.denormalizerSpec();
        this.denormalizer = denorm != null && denorm.precompiledCharsmap().length > 0
                ? new Normalizer(denorm, false, CharsMaps.of(denorm.precompiledCharsmap(), source), null)
                : null;
        this.segmenter = switch (trainer.modelType()) {
            case BPE -> new BpeSegmenter(vocab, trainer.treatWhitespaceAsSuffix());
            case UNIGRAM -> new UnigramSegmenter(vocab);
            case CHAR -> new CharSegmenter(vocab);
            case WORD -> new WordSegmenter(vocab, trainer.treatWhitespaceAsSuffix());
        };
        this.bosWsConsumable = norm.addDummyPrefix() || norm.removeExtraWhitespaces();
        this.removeExtraWhitespaces = norm.removeExtraWhitespaces();
        this.unkSurface = trainer.unkSurface().getBytes(StandardCharsets.UTF_8);
        this.bosId = idOfType(trainer.bosId(), TokenType.CONTROL);
        this.eosId = idOfType(trainer.eosId(), TokenType.CONTROL);
        if (proto.selfTestData() != null) {
            selfTest(proto.selfTestData());
        }
    }

    /**
     * The self-test samples a model may carry (spm_train --self_test_sample_size): each input must encode to the
     * pieces recorded at training time, as the library checks when it loads a model.
     */
    private void selfTest(byte[] data) throws TokenizerFormatException {
        ProtoReader in = new ProtoReader(data, 0, data.length, source + " self_test_data");
        int failures = 0;
        String first = null;
        while (in.hasMore()) {
            if (in.nextField() != 1) {
                in.skip();
                continue;
            }
            ProtoReader sample = in.subReader();
            String input = "";
            String expected = "";
            while (sample.hasMore()) {
                int field = sample.nextField();
                if (field == 1) {
                    input = sample.readString();
                } else if (field == 2) {
                    expected = sample.readString();
                } else {
                    sample.skip();
                }
            }
            String got = String.join(" ", encodeAsPieces(input));
            if (!got.equals(expected)) {
                failures++;
                if (first == null) {
                    first = "'" + input + "' encodes as [" + got + "], the model expects [" + expected + "]";
                }
            }
        }
        if (failures > 0) {
            throw new TokenizerFormatException(source + ": " + failures + " self-test failure(s); first: " + first);
        }
    }

    private int idOfType(int id, TokenType expected) {
        return id >= 0 && id < vocab.size() && vocab.types[id] == expected ? id : -1;
    }

    public static SentencePieceModel load(Path file) throws IOException {
        return new SentencePieceModel(ModelProto.read(file), file.toString());
    }

    public static SentencePieceModel of(ModelProto proto, String source) throws TokenizerFormatException {
        return new SentencePieceModel(proto, source);
    }

    public ModelProto proto() {
        return proto;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int[] encode(byte[] utf8, int offset, int length) {
        State st = state.get();
        encodeInto(utf8, offset, length, st);
        return st.ids.toArray();
    }

    private void encodeInto(byte[] utf8, int offset, int length, State st) {
        GrowableBytes norm = st.normalized;
        normalizer.normalize(utf8, offset, length, norm, st.normalizerScratch);
        IntList codes = st.codes;
        codes.clear();
        st.segmenter.spans.clear();
        segmenter.segment(norm.data, norm.length, codes, st.segmenter);
        IntList ids = st.ids;
        ids.clear();
        boolean prevUnknown = false;
        for (int i = 0; i < codes.size; i++) {
            int code = codes.data[i];
            if (code >= 0) {
                ids.add(code);
                prevUnknown = false;
                continue;
            }
            if (byteFallback) {
                addBytes(code, norm.data, st, ids);
            } else if (!prevUnknown) {
                ids.add(vocab.unkId);
            }
            prevUnknown = true;
        }
    }

    /** Byte fallback: one {@code <0xNN>} piece per UTF-8 byte of the unknown symbol. */
    private void addBytes(int code, byte[] normalized, State st, IntList ids) {
        if (Segmenter.isUnknownSpan(code)) {
            int index = Segmenter.unknownSpanIndex(code);
            int start = st.segmenter.spans.data[2 * index];
            int len = st.segmenter.spans.data[2 * index + 1];
            for (int i = start; i < start + len; i++) {
                ids.add(vocab.byteIds[normalized[i] & 0xFF]);
            }
        } else if (Segmenter.isUnknownPiece(code)) {
            for (byte b : vocab.pieceBytes[Segmenter.unknownPieceId(code)]) {
                ids.add(vocab.byteIds[b & 0xFF]);
            }
        } else {
            int cp = Segmenter.unknownCodePoint(code);
            if (cp < 0x80) {
                ids.add(vocab.byteIds[cp]);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    ids.add(vocab.byteIds[b & 0xFF]);
                }
            }
        }
    }

    /** The normalized form of {@code text}, as {@code spm_normalize} prints it. */
    public String normalize(String text) {
        return normalizer.normalize(text);
    }

    @Override
    public byte[] decodeToBytes(int[] ids) {
        GrowableBytes text = new GrowableBytes(ids.length * 4);
        boolean isBosWs = true;
        boolean bosWsSeen = false;
        int i = 0;
        while (i < ids.length) {
            int id = checkId(ids[i]);
            if (vocab.types[id] == TokenType.BYTE) {
                int runEnd = i;
                while (runEnd < ids.length && vocab.types[checkId(ids[runEnd])] == TokenType.BYTE) {
                    runEnd++;
                }
                decodeBytes(ids, i, runEnd, text);
                i = runEnd;
                continue;
            }
            if (bosWsSeen || text.length > 0) {
                isBosWs = false;
            }
            bosWsSeen = decodePiece(id, isBosWs, text);
            i++;
        }
        if (denormalizer != null) {
            GrowableBytes out = new GrowableBytes(text.length + 16);
            denormalizer.normalize(text.data, 0, text.length, out, new Normalizer.Scratch());
            text = out;
        }
        return java.util.Arrays.copyOf(text.data, text.length);
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeToBytes(ids), StandardCharsets.UTF_8);
    }

    private int checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("invalid id " + id + " (vocabulary has " + vocab.size() + " pieces)");
        }
        return id;
    }

    /** Appends the surface of one non-byte piece; returns whether it consumed the beginning-of-text {@code ▁}. */
    private boolean decodePiece(int id, boolean isBosWs, GrowableBytes out) {
        TokenType type = vocab.types[id];
        if (type == TokenType.CONTROL) {
            return false;
        }
        if (type == TokenType.UNKNOWN) {
            out.add(unkSurface);
            return false;
        }
        byte[] p = vocab.pieceBytes[id];
        int pos = 0;
        boolean hasBosWs = false;
        if (isBosWs && bosWsConsumable && Utf8.isSpaceSymbol(p, 0, p.length)) {
            pos = 3;
            hasBosWs = !removeExtraWhitespaces;
        }
        out.ensure(p.length);
        while (pos < p.length) {
            if (Utf8.isSpaceSymbol(p, pos, p.length)) {
                out.add((byte) ' ');
                pos += 3;
            } else {
                out.add(p[pos++]);
            }
        }
        return hasBosWs;
    }

    /** A run of byte pieces is UTF-8 decoded; each byte that does not start a valid character becomes U+FFFD. */
    private void decodeBytes(int[] ids, int from, int to, GrowableBytes out) {
        byte[] bytes = new byte[to - from];
        for (int i = from; i < to; i++) {
            bytes[i - from] = (byte) vocab.byteValue[ids[i]];
        }
        int pos = 0;
        while (pos < bytes.length) {
            int n = Utf8.validCharLength(bytes, pos, bytes.length);
            if (n == 0) {
                out.add(Utf8.REPLACEMENT);
                pos++;
            } else {
                out.add(bytes, pos, n);
                pos += n;
            }
        }
    }

    @Override
    public String piece(int id) {
        return vocab.pieces[checkId(id)];
    }

    public float score(int id) {
        return vocab.scores[checkId(id)];
    }

    @Override
    public int pieceToId(String piece) {
        Integer id = vocab.reserved.get(piece);
        if (id == null) {
            id = vocab.normal.get(piece);
        }
        return id == null ? -1 : id;
    }

    @Override
    public TokenType type(int id) {
        return vocab.types[checkId(id)];
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int unkId() {
        return vocab.unkId;
    }

    public boolean byteFallback() {
        return byteFallback;
    }

    @Override
    public String describe() {
        TrainerSpec t = proto.trainerSpec();
        NormalizerSpec n = proto.normalizerSpec();
        int[] counts = new int[7];
        for (TokenType type : vocab.types) {
            counts[type.code()]++;
        }
        return String.format("SentencePiece %s model (%s): %d pieces (%d normal, %d control, %d user-defined, %d unused, %d byte), "
                        + "unk=%d bos=%d eos=%d pad=%d, normalizer=%s%s, byte_fallback=%s",
                t.modelType().name().toLowerCase(java.util.Locale.ROOT), source, vocab.size(), counts[1], counts[3], counts[4], counts[5], counts[6],
                vocab.unkId, bosId, eosId, t.padId(), n.name().isEmpty() ? "(unnamed)" : n.name(),
                n.precompiledCharsmap().length > 0 ? " [" + n.precompiledCharsmap().length + "-byte charsmap]" : "", byteFallback);
    }

    /** Every piece with its score and type, in id order. */
    public List<ModelProto.Piece> pieces() {
        return proto.pieces();
    }
}
