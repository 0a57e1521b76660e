package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece's {@code .model} file: the serialized {@code sentencepiece.ModelProto} (proto2 wire format).
 *
 * <pre>
 * ModelProto     { repeated SentencePiece pieces = 1; TrainerSpec trainer_spec = 2;
 *                  NormalizerSpec normalizer_spec = 3; SelfTestData self_test_data = 4;
 *                  NormalizerSpec denormalizer_spec = 5; }
 * SentencePiece  { string piece = 1; float score = 2; Type type = 3 [default NORMAL]; }
 * </pre>
 * The id of a piece is its index in {@code pieces}.
 */
public record ModelProto(List<Piece> pieces, TrainerSpec trainerSpec, NormalizerSpec normalizerSpec,
                         NormalizerSpec denormalizerSpec, byte[] selfTestData) {

    /** One vocabulary entry. */
    public record Piece(String piece, float score, TokenType type) {
    }

    public ModelProto {
        pieces = List.copyOf(pieces);
    }

    public static ModelProto read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes, file.toString());
    }

    public static ModelProto parse(byte[] bytes, String source) throws TokenizerFormatException {
        if (bytes.length == 0) {
            throw new TokenizerFormatException(source + ": empty file, expected a SentencePiece model");
        }
        ProtoReader in = new ProtoReader(bytes, 0, bytes.length, source);
        List<Piece> pieces = new ArrayList<>();
        TrainerSpec trainer = new TrainerSpec();
        NormalizerSpec normalizer = new NormalizerSpec();
        NormalizerSpec denormalizer = null;
        byte[] selfTest = null;
        while (in.hasMore()) {
            int at = in.position();
            int field = in.nextField();
            switch (field) {
                case 1 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 1);
                    pieces.add(readPiece(in.subReader(), pieces.size()));
                }
                case 2 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 2);
                    trainer.values().read(in.subReader());
                }
                case 3 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 3);
                    normalizer.values().read(in.subReader());
                }
                case 4 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 4);
                    selfTest = in.readBytes();
                }
                case 5 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 5);
                    denormalizer = new NormalizerSpec();
                    denormalizer.values().read(in.subReader());
                }
                default -> {
                    if (field > 1000 && pieces.isEmpty()) {
                        throw in.error(at, "field " + field + " is not part of a SentencePiece ModelProto (is this a .model file?)");
                    }
                    in.skip();
                }
            }
        }
        if (pieces.isEmpty()) {
            throw new TokenizerFormatException(source + ": no pieces: not a SentencePiece model");
        }
        return new ModelProto(pieces, trainer, normalizer, denormalizer, selfTest);
    }

    private static Piece readPiece(ProtoReader in, int index) throws TokenizerFormatException {
        String piece = "";
        float score = 0f;
        TokenType type = TokenType.NORMAL;
        while (in.hasMore()) {
            int at = in.position();
            int field = in.nextField();
            switch (field) {
                case 1 -> {
                    in.expect(ProtoReader.LENGTH_DELIMITED, 1);
                    piece = in.readString();
                }
                case 2 -> {
                    in.expect(ProtoReader.FIXED32, 2);
                    score = in.readFloat();
                }
                case 3 -> {
                    in.expect(ProtoReader.VARINT, 3);
                    int code = in.readInt32();
                    try {
                        type = TokenType.ofCode(code);
                    } catch (IllegalArgumentException e) {
                        throw in.error(at, "piece " + index + ": " + e.getMessage());
                    }
                }
                default -> in.skip();
            }
        }
        return new Piece(piece, score, type);
    }

    public byte[] toByteArray() {
        ProtoWriter out = new ProtoWriter();
        for (Piece p : pieces) {
            ProtoWriter w = new ProtoWriter();
            w.stringField(1, p.piece());
            w.floatField(2, p.score());
            if (p.type() != TokenType.NORMAL) {
                w.int32Field(3, p.type().code());
            }
            out.messageField(1, w);
        }
        out.messageField(2, trainerSpec.values().write());
        out.messageField(3, normalizerSpec.values().write());
        if (selfTestData != null) {
            out.bytesField(4, selfTestData);
        }
        if (denormalizerSpec != null) {
            out.messageField(5, denormalizerSpec.values().write());
        }
        return out.toByteArray();
    }

    /** Writes the model atomically: a temporary file in the same folder, then a rename. */
    public void write(Path file) throws IOException {
        writeAtomically(file, toByteArray());
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
