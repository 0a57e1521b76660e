package dev.cria.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class MainTest {

    @Test
    void helpListsEveryCommandAtEveryDepthWithItsSummary() {
        CliRun help = CliRun.run("--help");
        assertEquals(0, help.exitCode(), help.stderr());
        String text = help.out().replaceAll("\\s+", " ");
        List<String[]> commands = new ArrayList<>();
        collect(Main.commandLine(new CliStreams(System.in, new ByteArrayOutputStream(), new PrintStream(
                new ByteArrayOutputStream()))).getCommandSpec(), "", commands);
        assertTrue(commands.size() >= 4, "tokenizer, encode, decode, info at least");
        for (String[] command : commands) {
            assertTrue(text.contains(" " + command[0] + " " + command[1]),
                    "--help lacks '" + command[0] + "' with its summary '" + command[1] + "':\n" + help.out());
        }
        assertTrue(text.contains(" tokenizer encode "), help.out());
        assertTrue(text.contains(" tokenizer decode "), help.out());
        assertTrue(text.contains(" tokenizer info "), help.out());
    }

    private static void collect(CommandSpec spec, String prefix, List<String[]> out) {
        for (CommandLine sub : new LinkedHashSet<>(spec.subcommands().values())) {
            CommandSpec child = sub.getCommandSpec();
            String[] summary = child.usageMessage().header().length > 0
                    ? child.usageMessage().header() : child.usageMessage().description();
            assertTrue(summary.length > 0, prefix + child.name() + " has no description");
            out.add(new String[] {prefix + child.name(), summary[0].replace("%n", "").strip().replaceAll("\\s+", " ")});
            collect(child, prefix + child.name() + " ", out);
        }
    }

    @Test
    void versionNamesTheProjectVersionAndTheJavaRuntime() {
        CliRun version = CliRun.run("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        String[] lines = version.out().split("\n");
        assertTrue(lines[0].matches("cria \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines[0]);
        assertTrue(lines[1].startsWith("Java " + Runtime.version()), lines[1]);
    }

    @Test
    void aGroupWithoutItsSubcommandIsAUsageErrorOnStderr() {
        CliRun bare = CliRun.run("tokenizer");
        assertEquals(2, bare.exitCode());
        assertEquals("", bare.out());
        assertTrue(bare.stderr().contains("Missing required subcommand"), bare.stderr());
        assertTrue(bare.stderr().contains("encode"), bare.stderr());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun bad = CliRun.run("tokenizer", "encode", "--model", "x", "--no-such-option");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("Unknown option: '--no-such-option'"), bad.stderr());
    }
}
