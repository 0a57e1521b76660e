package dev.cria.model.generate;

/** Why generation ended. */
public enum StopReason {
    /** The model produced an end-of-sequence token (EOS, or Llama 3's end of turn {@code <|eot_id|>}). */
    END_OF_SEQUENCE,
    /** The text reached one of the stop strings. */
    STOP_STRING,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The context is full: no position is left for another token. */
    CONTEXT_FULL
}
