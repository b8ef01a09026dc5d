package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.List;

import io.culex.api.admin.FeatureService;

/** {@code culex:features}: the features the distribution describes, which are installed, and their bundles. */
final class FeaturesCommand implements ShellCommand {

    private final FeatureService features;

    FeaturesCommand(FeatureService features) {
        this.features = features;
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String usage() {
        return "culex:features";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        expectArguments(args, 0, 0);
        List<String> installed = features.installedFeatures();
        Table table = new Table("FEATURE", "INSTALLED", "BUNDLES");
        for (String name : features.availableFeatures()) {
            table.row(name, installed.contains(name) ? "yes" : "no", String.join(", ", features.bundlesOf(name)));
        }
        table.print(out);
    }
}
