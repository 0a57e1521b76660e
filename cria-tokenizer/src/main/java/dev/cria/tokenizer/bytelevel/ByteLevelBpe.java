package dev.cria.tokenizer.bytelevel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cria.tokenizer.TokenType;
import dev.cria.tokenizer.Tokenizer;
import dev.cria.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Llama 3's tokenizer: byte-level BPE as tiktoken runs it.
 *
 * <p>Encoding: (1) added tokens are cut out of the text first — user-defined ones always, special (CONTROL)
 * ones only when {@link #encodeWithSpecials} allows them; {@link #encode(String)} reads special-token text as
 * ordinary text, like tiktoken's {@code encode_ordinary}; (2) the rest is split into chunks by the file's
 * pre-tokenizer (for Llama 3 the scanner {@link Llama3PreTokenizer}, else {@link RegexPreTokenizer}); (3) inside each chunk, bytes are merged pairwise by
 * {@link MergeRules} (lowest priority first, leftmost on ties), after first looking the whole chunk up where
 * the file asks for that (tiktoken always does; HF with {@code ignore_merges}).
 *
 * <p>Invalid UTF-8 input: chunking needs characters, so each maximal invalid subsequence is first replaced by
 * U+FFFD, as tiktoken's and HF's callers decode bytes to str; unpaired surrogates in a {@code String} likewise.
 * Unlike Meta's {@code tokenizer.py}, long inputs are not cut at 400,000 characters or at runs of 25,000
 * (non-)whitespace characters before encoding, so ids match HF tokenizers and llama.cpp on any length.
 *
 * <p>Decoding concatenates the tokens' bytes, special tokens' text included. Immutable and thread-safe; a
 * bounded cache remembers the ids of recently merged chunks.
 */
public final class ByteLevelBpe implements Tokenizer {

    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    public static final String END_OF_TEXT = "<|end_of_text|>";
    public static final String END_OF_TURN = "<|eot_id|>";

    /** When a chunk is looked up whole before merging. */
    enum WholeChunkLookup { ALWAYS, NEVER, WHEN_IDS_ARE_RANKS }

    private static final int CACHE_SLOTS = 1 << 15;

    private final String source;
    private final byte[][] tokens;
    private final TokenType[] types;
    private final TokenBytesIndex mergeable;
    private final int[] byteIds;
    private final MergeRules rules;
    private final boolean wholeChunkFirst;
    private final PreTokenizer preTokenizer;
    private final Map<String, Integer> addedByText;
    /** User-defined tokens, matched in every encode; null when there are none. */
    private final AddedTokenMatcher alwaysMatched;
    private final int bosId;
    private final int eosId;
    private final ChunkCache cache = new ChunkCache(CACHE_SLOTS);

    private ByteLevelBpe(String source, byte[][] tokens, TokenType[] types, TokenBytesIndex mergeable, int[] byteIds,
                         MergeRules rules, boolean wholeChunkFirst, PreTokenizer preTokenizer, int bosId, int eosId) {
        this.source = source;
        this.tokens = tokens;
        this.types = types;
        this.mergeable = mergeable;
        this.byteIds = byteIds;
        this.rules = rules;
        this.wholeChunkFirst = wholeChunkFirst;
        this.preTokenizer = preTokenizer;
        this.bosId = bosId;
        this.eosId = eosId;
        Map<String, Integer> added = new HashMap<>();
        List<byte[]> userTexts = new ArrayList<>();
        List<Integer> userIds = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] != TokenType.NORMAL) {
                added.putIfAbsent(new String(tokens[id], StandardCharsets.UTF_8), id);
                if (types[id] == TokenType.USER_DEFINED) {
                    userTexts.add(tokens[id]);
                    userIds.add(id);
                }
            }
        }
        this.addedByText = Map.copyOf(added);
        this.alwaysMatched = AddedTokenMatcher.of(userTexts, userIds);
    }

    // ---- loading

    /** Whether a file starting with {@code head} looks like a tiktoken BPE file ({@code base64 rank} lines). */
    public static boolean looksLikeTiktoken(byte[] head) {
        return TiktokenFile.looksLikeTiktoken(head);
    }

    /** Reads a tiktoken BPE file such as Llama 3's {@code tokenizer.model}; see {@link TiktokenFile#read}. */
    public static ByteLevelBpe fromTiktoken(Path file) throws IOException {
        return TiktokenFile.read(file);
    }

    /**
     * Reads an HF {@code tokenizer.json} with a byte-level BPE model; see {@link TokenizerJson}.
     *
     * @param sourceName names the file in errors and in {@link #describe()}
     */
    public static ByteLevelBpe fromTokenizerJson(JsonNode root, String sourceName) throws TokenizerFormatException {
        return TokenizerJson.read(root, sourceName);
    }

    /**
     * Builds the tokenizer of a GGUF file whose {@code tokenizer.ggml.model} is {@code "gpt2"}.
     *
     * <p>The pre-tokenizer is Llama 3's (GGUF {@code tokenizer.ggml.pre} "llama-bpe"); chunks are looked up whole
     * before merging when the merges prove that ids are ranks, as llama.cpp does for Llama 3. BOS/EOS are
     * {@value #BEGIN_OF_TEXT}/{@value #END_OF_TEXT} when present; {@link #withSpecialIds} sets others.
     *
     * @param byteLevelPieces {@code tokenizer.ggml.tokens}: byte-level spellings for NORMAL tokens, plain text
     *                        for CONTROL, USER_DEFINED, UNKNOWN and UNUSED ones
     * @param types           {@code tokenizer.ggml.token_type} (TokenType codes), or null for all NORMAL
     * @param merges          {@code tokenizer.ggml.merges} ("left right"), or null to derive merges from ids as
     *                        tiktoken ranks
     */
    public static ByteLevelBpe of(String[] byteLevelPieces, int[] types, String[] merges)
            throws TokenizerFormatException {
        String source = "GGUF vocabulary";
        int n = byteLevelPieces.length;
        if (types != null && types.length != n) {
            throw new TokenizerFormatException(source + ": tokenizer.ggml.token_type has " + types.length
                    + " entries but tokenizer.ggml.tokens has " + n);
        }
        byte[][] bytes = new byte[n][];
        TokenType[] tokenTypes = new TokenType[n];
        Map<String, Integer> normalIds = new HashMap<>();
        for (int id = 0; id < n; id++) {
            TokenType type;
            try {
                type = types == null ? TokenType.NORMAL : TokenType.ofCode(types[id]);
            } catch (IllegalArgumentException e) {
                throw new TokenizerFormatException(source + ": tokenizer.ggml.token_type[" + id + "]: " + e.getMessage());
            }
            String piece = Objects.requireNonNull(byteLevelPieces[id], "tokenizer.ggml.tokens[" + id + "]");
            if (type == TokenType.BYTE) {
                throw new TokenizerFormatException(source + ": tokenizer.ggml.tokens[" + id + "] '" + piece
                        + "' has type BYTE, which a byte-level vocabulary does not use");
            }
            if (type == TokenType.NORMAL) {
                bytes[id] = ByteLevelAlphabet.toBytes(piece);
                if (bytes[id] == null) {
                    throw new TokenizerFormatException(source + ": tokenizer.ggml.tokens[" + id + "] '" + piece
                            + "' holds a character outside GPT-2's byte-level alphabet");
                }
                normalIds.putIfAbsent(piece, id);
            } else {
                bytes[id] = piece.getBytes(StandardCharsets.UTF_8);
            }
            tokenTypes[id] = type;
        }
        MergeList mergeList = null;
        if (merges != null && merges.length > 0) {
            int[] lefts = new int[merges.length];
            int[] rights = new int[merges.length];
            for (int k = 0; k < merges.length; k++) {
                String merge = merges[k];
                int space = merge.indexOf(' ');
                if (space <= 0 || space != merge.lastIndexOf(' ') || space == merge.length() - 1) {
                    throw new TokenizerFormatException(source + ": tokenizer.ggml.merges[" + k + "] '" + merge
                            + "' is not two tokens separated by one space");
                }
                lefts[k] = pieceId(normalIds, merge.substring(0, space), source, "tokenizer.ggml.merges", k);
                rights[k] = pieceId(normalIds, merge.substring(space + 1), source, "tokenizer.ggml.merges", k);
            }
            mergeList = new MergeList(lefts, rights, "tokenizer.ggml.merges");
        }
        return assemble(source, bytes, tokenTypes, mergeList, WholeChunkLookup.WHEN_IDS_ARE_RANKS,
                Llama3PreTokenizer.INSTANCE);
    }

    static int pieceId(Map<String, Integer> ids, String piece, String source, String list, int k)
            throws TokenizerFormatException {
        Integer id = ids.get(piece);
        if (id == null) {
            throw new TokenizerFormatException(source + ": " + list + "[" + k + "] uses '" + piece
                    + "', which is not a token of the vocabulary");
        }
        return id;
    }

    /** Merge pairs by id, in list order; {@code name} names the list in errors. */
    record MergeList(int[] lefts, int[] rights, String name) {
    }

    /**
     * Checks a vocabulary and builds the tokenizer.
     *
     * @param mergeList the merge list, or null to treat ids as tiktoken ranks
     */
    static ByteLevelBpe assemble(String source, byte[][] tokens, TokenType[] types, MergeList mergeList,
                                 WholeChunkLookup lookup, PreTokenizer preTokenizer)
            throws TokenizerFormatException {
        boolean[] isMergeable = new boolean[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            isMergeable[id] = types[id] == TokenType.NORMAL;
            if (isMergeable[id] && tokens[id].length == 0) {
                throw new TokenizerFormatException(source + ": token " + id + " is empty");
            }
        }
        TokenBytesIndex index = new TokenBytesIndex(tokens, isMergeable);
        for (int id = 0; id < tokens.length; id++) {
            int first = isMergeable[id] ? index.get(tokens[id]) : id;
            if (first != id) {
                throw new TokenizerFormatException(source + ": tokens " + first + " and " + id + " are both '"
                        + ByteLevelAlphabet.toPiece(tokens[id]) + "'");
            }
        }
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = index.get(new byte[] {(byte) b});
            if (byteIds[b] < 0) {
                throw new TokenizerFormatException(String.format(
                        "%s: byte 0x%02X has no token ('%s'); byte-level BPE needs one token per byte",
                        source, b, ByteLevelAlphabet.toPiece(new byte[] {(byte) b})));
            }
        }
        MergeRules rules = mergeList == null
                ? MergeRules.fromRanks(tokens, isMergeable, index)
                : MergeRules.fromMergeList(mergeList.lefts(), mergeList.rights(), tokens, isMergeable, index,
                        source, mergeList.name());
        boolean wholeChunkFirst = switch (lookup) {
            case ALWAYS -> true;
            case NEVER -> false;
            case WHEN_IDS_ARE_RANKS -> rules.idsAreRanks();
        };
        int bos = -1;
        int eos = -1;
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == TokenType.CONTROL) {
                String text = new String(tokens[id], StandardCharsets.UTF_8);
                if (text.equals(BEGIN_OF_TEXT) && bos < 0) {
                    bos = id;
                } else if (text.equals(END_OF_TEXT) && eos < 0) {
                    eos = id;
                }
            }
        }
        return new ByteLevelBpe(source, tokens, types, index, byteIds, rules, wholeChunkFirst, preTokenizer, bos, eos);
    }

    /** This tokenizer with other BOS/EOS ids (-1 = none), e.g. from a GGUF file's or tokenizer_config.json's. */
    public ByteLevelBpe withSpecialIds(int bos, int eos) {
        for (int id : new int[] {bos, eos}) {
            if (id < -1 || id >= tokens.length) {
                throw new IllegalArgumentException("special id " + id + " is outside [-1, " + tokens.length + ")");
            }
        }
        return new ByteLevelBpe(source, tokens, types, mergeable, byteIds, rules, wholeChunkFirst, preTokenizer,
                bos, eos);
    }

    // ---- encoding

    @Override
    public int[] encode(byte[] utf8, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8.length);
        if (Utf8.isValid(utf8, offset, offset + length)) {
            return encodeValid(utf8, offset, offset + length, alwaysMatched);
        }
        byte[] repaired = Utf8.replaceInvalid(utf8, offset, offset + length);
        return encodeValid(repaired, 0, repaired.length, alwaysMatched);
    }

    @Override
    public int[] encode(String text) {
        byte[] utf8 = Utf8.encode(text);
        return encodeValid(utf8, 0, utf8.length, alwaysMatched);
    }

    /**
     * Encodes {@code text}, turning the text of each special token in {@code allowedSpecials} into its id
     * (tiktoken's {@code encode(text, allowed_special=...)}); other special-token text is ordinary text.
     *
     * @throws IllegalArgumentException when an allowed name is not an added token of this vocabulary
     */
    public int[] encodeWithSpecials(String text, Set<String> allowedSpecials) {
        List<byte[]> texts = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (String special : allowedSpecials) {
            Integer id = addedByText.get(special);
            if (id == null) {
                throw new IllegalArgumentException("'" + special + "' is not a special token of " + source);
            }
            texts.add(tokens[id]);
            ids.add(id);
        }
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == TokenType.USER_DEFINED) {
                texts.add(tokens[id]);
                ids.add(id);
            }
        }
        byte[] utf8 = Utf8.encode(text);
        return encodeValid(utf8, 0, utf8.length, AddedTokenMatcher.of(texts, ids));
    }

    /** The text of every CONTROL token, in id order (for {@link #encodeWithSpecials} with all allowed). */
    public Set<String> specialTokens() {
        Set<String> names = new LinkedHashSet<>();
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == TokenType.CONTROL) {
                names.add(new String(tokens[id], StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private int[] encodeValid(byte[] text, int from, int to, AddedTokenMatcher added) {
        IdBuffer out = new IdBuffer((to - from) / 3);
        ChunkMerger merger = new ChunkMerger(rules.table(), byteIds);
        PreTokenizer.ChunkSink sink = (start, end) -> encodeChunk(text, start, end, out, merger);
        int pos = from;
        while (added != null && pos < to) {
            long match = added.find(text, pos, to);
            if (match < 0) {
                break;
            }
            int start = (int) (match >>> 32);
            int which = (int) match;
            preTokenizer.split(text, pos, start, sink);
            out.add(added.id(which));
            pos = start + added.length(which);
        }
        preTokenizer.split(text, pos, to, sink);
        return out.toArray();
    }

    private void encodeChunk(byte[] text, int start, int end, IdBuffer out, ChunkMerger merger) {
        if (end - start == 1) {
            out.add(byteIds[text[start] & 0xFF]);
            return;
        }
        if (wholeChunkFirst) {
            int whole = mergeable.get(text, start, end);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        if (end - start > ChunkCache.MAX_CHUNK_BYTES) {
            merger.merge(text, start, end, out);
            return;
        }
        int hash = TokenBytesIndex.hash(text, start, end);
        int[] cached = cache.get(text, start, end, hash);
        if (cached != null) {
            out.addAll(cached);
            return;
        }
        int mark = out.size();
        merger.merge(text, start, end, out);
        cache.put(text, start, end, hash, out.copyFrom(mark));
    }

    // ---- decoding and vocabulary

    @Override
    public byte[] decodeToBytes(int[] ids) {
        int length = 0;
        for (int id : ids) {
            length += tokens[checkId(id)].length;
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (int id : ids) {
            System.arraycopy(tokens[id], 0, out, pos, tokens[id].length);
            pos += tokens[id].length;
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    /** The byte-level spelling (GPT-2 alphabet, e.g. {@code "Ġhello"}) for merged tokens; added tokens' text. */
    @Override
    public String piece(int id) {
        checkId(id);
        return types[id] == TokenType.NORMAL
                ? ByteLevelAlphabet.toPiece(tokens[id])
                : new String(tokens[id], StandardCharsets.UTF_8);
    }

    @Override
    public int pieceToId(String piece) {
        Integer added = addedByText.get(piece);
        if (added != null) {
            return added;
        }
        byte[] bytes = ByteLevelAlphabet.toBytes(piece);
        return bytes == null ? -1 : mergeable.get(bytes);
    }

    /** The bytes of token {@code id} (a copy). */
    public byte[] tokenBytes(int id) {
        return tokens[checkId(id)].clone();
    }

    @Override
    public TokenType type(int id) {
        return types[checkId(id)];
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    /** Byte-level BPE has no unknown token: every byte is a token. */
    @Override
    public int unkId() {
        return -1;
    }

    /** Whether token ids are tiktoken ranks (always for tiktoken files; checked for merge lists, see {@link MergeRules}). */
    public boolean idsAreRanks() {
        return rules.idsAreRanks();
    }

    boolean looksUpWholeChunks() {
        return wholeChunkFirst;
    }

    PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    @Override
    public String describe() {
        int added = 0;
        for (TokenType type : types) {
            added += type == TokenType.NORMAL ? 0 : 1;
        }
        return String.format("byte-level BPE, %d tokens (%d merged, %d added), merge order: %s, bos=%s, eos=%s, "
                        + "pre-tokenizer: %s, from %s",
                tokens.length, tokens.length - added, added,
                rules.idsAreRanks() ? "tiktoken ranks" : "merge list",
                describeId(bosId), describeId(eosId),
                preTokenizer instanceof Llama3PreTokenizer ? "Llama 3" : preTokenizer.pattern(), source);
    }

    private String describeId(int id) {
        return id < 0 ? "none" : id + " " + piece(id);
    }

    private int checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, " + tokens.length + ")");
        }
        return id;
    }
}
