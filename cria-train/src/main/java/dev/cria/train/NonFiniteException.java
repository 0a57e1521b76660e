package dev.cria.train;

/** A NaN or infinity appeared in training; the message names where (layer and quantity). */
public final class NonFiniteException extends RuntimeException {

    private final String where;

    public NonFiniteException(String where) {
        super("non-finite value (NaN or Inf) in " + where);
        this.where = where;
    }

    public String where() {
        return where;
    }
}
