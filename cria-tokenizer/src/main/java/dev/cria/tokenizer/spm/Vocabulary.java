package dev.cria.tokenizer.spm;

import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.TokenizerFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces of a SentencePiece model and the two lookups the library keeps (model_interface.cc):
 * {@code pieces} for NORMAL, USER_DEFINED and UNUSED pieces (the ones merging may produce) and {@code reserved}
 * for CONTROL, UNKNOWN and BYTE pieces. {@link #pieceToId} asks {@code reserved} first.
 */
final class Vocabulary {
    final String[] pieces;
    final byte[][] pieceBytes;
    final float[] scores;
    final TokenType[] types;
    final Map<String, Integer> normal = new HashMap<>();
    final Map<String, Integer> reserved = new HashMap<>();
    final List<String> userDefined = new ArrayList<>();
    final int unkId;
    /** {@code byteIds[b]} is the id of piece {@code <0xNN>}, or -1. */
    final int[] byteIds = new int[256];
    /** For BYTE pieces, the byte they stand for; -1 for every other piece. */
    final int[] byteValue;
    final boolean hasUnused;

    Vocabulary(List<ModelProto.Piece> list, boolean byteFallback, String source) throws TokenizerFormatException {
        int n = list.size();
        pieces = new String[n];
        pieceBytes = new byte[n][];
        scores = new float[n];
        types = new TokenType[n];
        byteValue = new int[n];
        java.util.Arrays.fill(byteIds, -1);
        int unk = -1;
        boolean unused = false;
        for (int i = 0; i < n; i++) {
            ModelProto.Piece p = list.get(i);
            pieces[i] = p.piece();
            pieceBytes[i] = p.piece().getBytes(StandardCharsets.UTF_8);
            scores[i] = p.score();
            types[i] = p.type();
            byteValue[i] = -1;
            if (p.piece().isEmpty()) {
                throw new TokenizerFormatException(source + ": piece " + i + " is empty");
            }
            boolean isNormal = p.type() == TokenType.NORMAL || p.type() == TokenType.USER_DEFINED || p.type() == TokenType.UNUSED;
            Map<String, Integer> map = isNormal ? normal : reserved;
            if (map.putIfAbsent(p.piece(), i) != null) {
                throw new TokenizerFormatException(source + ": piece " + i + " '" + p.piece() + "' is already defined (id " + map.get(p.piece()) + ")");
            }
            switch (p.type()) {
                case USER_DEFINED -> userDefined.add(p.piece());
                case UNUSED -> unused = true;
                case UNKNOWN -> {
                    if (unk >= 0) {
                        throw new TokenizerFormatException(source + ": piece " + i + ": unk is already defined (id " + unk + ")");
                    }
                    unk = i;
                }
                case BYTE -> {
                    if (!byteFallback) {
                        throw new TokenizerFormatException(source + ": byte piece " + p.piece() + " (id " + i + ") is found although byte_fallback is false");
                    }
                    int b = pieceToByte(p.piece());
                    if (b < 0) {
                        throw new TokenizerFormatException(source + ": byte piece " + i + " '" + p.piece() + "' is invalid (expected <0xNN>)");
                    }
                    byteIds[b] = i;
                    byteValue[i] = b;
                }
                default -> {
                }
            }
        }
        if (unk < 0) {
            throw new TokenizerFormatException(source + ": unk is not defined (no piece of type UNKNOWN)");
        }
        if (byteFallback) {
            for (int b = 0; b < 256; b++) {
                if (byteIds[b] < 0) {
                    throw new TokenizerFormatException(source + ": there are not 256 byte pieces although byte_fallback is true (missing <0x"
                            + String.format("%02X", b) + ">)");
                }
            }
        }
        unkId = unk;
        hasUnused = unused;
    }

    int size() {
        return pieces.length;
    }

    /** PieceToId: reserved pieces first, then normal ones, else the unknown id. */
    int pieceToId(String piece) {
        Integer id = reserved.get(piece);
        if (id == null) {
            id = normal.get(piece);
        }
        return id == null ? unkId : id;
    }

    boolean isMergeable(int id) {
        TokenType t = types[id];
        return t == TokenType.NORMAL || t == TokenType.USER_DEFINED || t == TokenType.UNUSED;
    }

    static String byteToPiece(int b) {
        return String.format("<0x%02X>", b);
    }

    /** "<0x3A>" gives 58; anything not of the form {@code <0xNN>} with upper-case hex digits gives -1. */
    static int pieceToByte(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            return -1;
        }
        int hi = hex(piece.charAt(3));
        int lo = hex(piece.charAt(4));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
