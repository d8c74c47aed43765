package dev.compliance.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code compliance} command. Each subcommand is its own class; errors are reported
 * as one line naming what is wrong (never a stack trace, unless COMPLIANCE_DEBUG=1).
 */
@Command(name = "compliance", mixinStandardHelpOptions = true, version = "compliance 0.1.0",
        description = "Claude usage compliance pipeline: usage events in, violations, OCSF findings, retention ledger and rollups out.",
        subcommands = {EvaluateCommand.class, DemoCommand.class, RunCommand.class, ProduceCommand.class, TopicsCommand.class, CatalogCommand.class,
                PolicyCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                // A bad argument: one line naming it and where the help is, exit 2 (picocli would print the usage).
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    String path = cmd.getCommandSpec().qualifiedName();
                    cmd.getErr().println(path + ": " + e.getMessage().replace('\n', ' ').trim()
                            + " (see " + path + " --help)");
                    return 2;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if ("1".equals(System.getenv("COMPLIANCE_DEBUG"))) {
                        e.printStackTrace(cmd.getErr());
                    }
                    String message = oneLine(e);
                    String path = cmd.getCommandSpec().qualifiedName(); // "compliance policy show"
                    cmd.getErr().println(message.startsWith(cmd.getCommandName() + ":")
                            ? path.substring(0, path.length() - cmd.getCommandName().length()) + message : path + ": " + message);
                    return 2;
                });
    }

    /** The message of an exception and its causes, on one line. */
    public static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.toString().replace('\n', ' ');
    }
}
