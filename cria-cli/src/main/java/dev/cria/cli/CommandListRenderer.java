package dev.cria.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The "Commands:" section of {@code cria --help}: every command at every depth ({@code tokenizer encode},
 * not only {@code tokenizer}), each with its one-line summary, so one screen shows all Cria can do.
 */
final class CommandListRenderer implements IHelpSectionRenderer {

    private record Entry(String path, String summary) {
    }

    @Override
    public String render(Help help) {
        List<Entry> entries = new ArrayList<>();
        collect(help.commandSpec(), "", entries);
        if (entries.isEmpty()) {
            return "";
        }
        int nameWidth = entries.stream().mapToInt(e -> e.path().length()).max().orElse(0) + 4;
        int width = Math.max(nameWidth + 20, help.commandSpec().usageMessage().width());
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(nameWidth, 2, Column.Overflow.SPAN),
                new Column(width - nameWidth, 1, Column.Overflow.WRAP));
        for (Entry entry : entries) {
            table.addRowValues(entry.path(), entry.summary());
        }
        return table.toString();
    }

    private static void collect(CommandSpec spec, String prefix, List<Entry> entries) {
        // subcommands() maps every alias too; the set keeps each command once, in declaration order.
        for (CommandLine sub : new LinkedHashSet<>(spec.subcommands().values())) {
            CommandSpec child = sub.getCommandSpec();
            if (child.usageMessage().hidden()) {
                continue;
            }
            entries.add(new Entry(prefix + child.name(), summary(child)));
            collect(child, prefix + child.name() + " ", entries);
        }
    }

    /** The header if the command has one (as picocli's own list prefers), else its description's first line. */
    private static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] lines = header.length > 0 ? header : spec.usageMessage().description();
        for (String line : lines) {
            String text = line.replace("%n", "").strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return "";
    }
}
