package dev.cria.train.run;

/**
 * Where a run stands after {@code step} optimizer steps: with the weights and the optimizer's moments, all a resumed
 * run needs to continue bit for bit. The window sampler's state is the number of windows drawn (a window depends only
 * on the seed and its number).
 *
 * @param step optimizer steps done
 * @param windowsDrawn training windows handed out so far (the data position)
 * @param seed the sampler's seed
 * @param tokens training tokens consumed
 */
public record RunState(long step, long windowsDrawn, long seed, long tokens) {

    public static RunState start(long seed) {
        return new RunState(0, 0, seed, 0);
    }
}
