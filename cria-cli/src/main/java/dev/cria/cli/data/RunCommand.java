package dev.cria.cli.data;

import dev.cria.cli.CliException;
import dev.cria.cli.Main;
import dev.cria.data.engine.Funnel;
import dev.cria.data.engine.LocalEngine;
import dev.cria.data.engine.RunPlan;
import dev.cria.data.read.BadRecord;
import dev.cria.data.recipe.Recipe;
import dev.cria.data.recipe.RecipeException;
import dev.cria.data.recipe.RecipeLoader;
import dev.cria.data.recipe.Stages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cria data run RECIPE [--input PATH...] [--output DIR] [--threads N]}: runs a recipe on the local engine and
 * writes shards, {@code manifest.json}, {@code funnel.json} and {@code funnel.html} into the output folder. Run again
 * with the same arguments after a kill, it finishes the shards that were not done.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a data recipe (YAML) on this machine: read, filter, dedup, write sharded JSONL and the funnel.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", description = "The recipe file (YAML).")
    Path recipe;

    @Option(names = "--input", paramLabel = "PATH", arity = "1..*",
            description = "Replaces the recipe's input: PATH for a one-source recipe, NAME=PATH per source otherwise. "
                    + "A folder means its files; globs are allowed.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: the recipe's output.dir).")
    Path output;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the recipe's, else all cores).")
    Integer threads;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream err = Main.streams(spec).err();
        Recipe parsed;
        RunPlan plan;
        try {
            parsed = RecipeLoader.load(recipe, Stages.builtIn()).withInputs(inputs);
            plan = RunPlan.of(parsed, Stages.builtIn());
        } catch (RecipeException e) {
            throw new CliException(e.getMessage(), e);
        }
        Path out = output != null ? output
                : parsed.output().dir() != null ? parsed.dir().resolve(parsed.output().dir()) : null;
        if (out == null) {
            throw new CliException(recipe + ": no output folder: give --output DIR or output.dir in the recipe");
        }
        if (threads != null && threads < 1) {
            throw new CliException("--threads: expected 1 or more, got " + threads);
        }
        int workers = threads != null ? threads : parsed.threads();
        long start = System.nanoTime();
        LocalEngine.Result result;
        try {
            result = new LocalEngine(plan, out, workers, new ConsoleRunProgress(err)).run();
        } catch (RecipeException e) {
            throw new CliException(e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report(err, result, seconds);
        return 0;
    }

    private static void report(PrintStream err, LocalEngine.Result r, double seconds) {
        Funnel f = r.funnel();
        long read = 0;
        long bytesRead = 0;
        for (Funnel.SourceFunnel s : f.sources()) {
            read += s.documents();
            bytesRead += s.bytesRead();
            for (BadRecord b : s.badExamples()) {
                err.println("bad record: " + b.describe());
            }
            if (s.badTotal() > s.badExamples().size()) {
                err.printf(Locale.ROOT, "... %,d bad records in all in source %s%n", s.badTotal(), s.source());
            }
        }
        err.printf(Locale.ROOT, "%d shards (%d finished by an earlier run), %,d documents read, %,d written, %.1f MB in %.1f s%n",
                r.shards(), r.resumedShards(), read, f.output().documents(), bytesRead / 1e6, seconds);
        for (Funnel.StageFunnel st : f.stages()) {
            err.printf(Locale.ROOT, "  %-24s in %,d  kept %,d  dropped %s%n", st.name(), st.in().documents(), st.kept().documents(),
                    st.dropped().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().documents()).toList());
        }
        err.println("funnel: " + r.funnelJson() + ", " + r.funnelHtml());
    }
}
