package dev.cria.train.data;

import dev.cria.tokenizer.shard.TokenShard;
import dev.cria.tokenizer.shard.TokenShardHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The token shards of a run, split into training and validation spans. The split is deterministic: either whole
 * shards set aside for validation, or the last {@code validationFraction} of every training shard (a contiguous
 * tail, so no training window overlaps a validation window).
 */
public final class TokenDataset implements AutoCloseable {

    private final List<TokenShard> shards;
    private final List<TokenSpan> training;
    private final List<TokenSpan> validation;
    private final int vocabSize;

    private TokenDataset(List<TokenShard> shards, List<TokenSpan> training, List<TokenSpan> validation, int vocabSize) {
        this.shards = List.copyOf(shards);
        this.training = List.copyOf(training);
        this.validation = List.copyOf(validation);
        this.vocabSize = vocabSize;
    }

    /**
     * Opens and checks the shards (header, size, every id against the vocabulary).
     *
     * @param trainFiles shards to train on
     * @param validationFiles shards held out for validation; when empty, the tail of each training shard is
     * @param validationFraction the held-out tail of each training shard when {@code validationFiles} is empty (0: none)
     * @param window tokens per window ({@code seqLen + 1}); every split must hold at least one
     */
    public static TokenDataset open(List<Path> trainFiles, List<Path> validationFiles, double validationFraction, int window)
            throws IOException {
        if (trainFiles.isEmpty()) {
            throw new IllegalArgumentException("no training shards given");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        List<TokenShard> opened = new ArrayList<>();
        try {
            List<TokenSpan> training = new ArrayList<>();
            List<TokenSpan> validation = new ArrayList<>();
            int vocab = -1;
            Path first = null;
            for (int pass = 0; pass < 2; pass++) {
                for (Path file : pass == 0 ? trainFiles : validationFiles) {
                    TokenShard shard = TokenShard.open(file);
                    opened.add(shard);
                    shard.verifyIds();
                    TokenShardHeader h = shard.header();
                    if (vocab < 0) {
                        vocab = h.vocabSize();
                        first = file;
                    } else if (h.vocabSize() != vocab) {
                        throw new IllegalArgumentException(file + ": vocabulary size " + h.vocabSize() + " differs from " + vocab + " of " + first);
                    }
                    long n = shard.tokenCount();
                    if (pass == 1) {
                        validation.add(new TokenSpan(shard, 0, n));
                    } else if (validationFiles.isEmpty() && validationFraction > 0) {
                        long cut = n - (long) Math.ceil(n * validationFraction);
                        training.add(new TokenSpan(shard, 0, cut));
                        validation.add(new TokenSpan(shard, cut, n));
                    } else {
                        training.add(new TokenSpan(shard, 0, n));
                    }
                }
            }
            requireWindow("training", training, window);
            if (!validation.isEmpty()) {
                requireWindow("validation", validation, window);
            }
            return new TokenDataset(opened, training, validation, vocab);
        } catch (IOException | RuntimeException e) {
            opened.forEach(TokenShard::close);
            throw e;
        }
    }

    private static void requireWindow(String split, List<TokenSpan> spans, int window) {
        long starts = 0;
        long tokens = 0;
        for (TokenSpan s : spans) {
            starts += s.windowStarts(window);
            tokens += s.length();
        }
        if (starts == 0) {
            throw new IllegalArgumentException("the " + split + " split (" + tokens + " tokens in " + spans.size()
                    + " shard(s)) holds no window of " + window + " tokens (seq_len + 1)");
        }
    }

    public List<TokenSpan> training() {
        return training;
    }

    /** Empty when the run has no validation split. */
    public List<TokenSpan> validation() {
        return validation;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public long trainingTokens() {
        return training.stream().mapToLong(TokenSpan::length).sum();
    }

    public long validationTokens() {
        return validation.stream().mapToLong(TokenSpan::length).sum();
    }

    @Override
    public void close() {
        shards.forEach(TokenShard::close);
    }
}
