package dev.cria.data.recipe;

/** A recipe that cannot run as written; the message names the recipe file and the key. */
public final class RecipeException extends RuntimeException {
    public RecipeException(String message) {
        super(message);
    }

    public RecipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
