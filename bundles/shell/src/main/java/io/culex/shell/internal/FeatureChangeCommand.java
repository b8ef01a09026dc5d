package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.List;

import io.culex.api.admin.FeatureException;
import io.culex.api.admin.FeatureService;

/** {@code culex:feature-install <name>} and {@code culex:feature-uninstall <name>}. */
final class FeatureChangeCommand implements ShellCommand {

    private final FeatureService features;
    private final boolean install;

    private FeatureChangeCommand(FeatureService features, boolean install) {
        this.features = features;
        this.install = install;
    }

    static FeatureChangeCommand install(FeatureService features) {
        return new FeatureChangeCommand(features, true);
    }

    static FeatureChangeCommand uninstall(FeatureService features) {
        return new FeatureChangeCommand(features, false);
    }

    @Override
    public String name() {
        return install ? "feature-install" : "feature-uninstall";
    }

    @Override
    public String usage() {
        return "culex:" + name() + " <feature>";
    }

    @Override
    public void run(List<String> args, PrintStream out) throws FeatureException {
        expectArguments(args, 1, 1);
        String name = args.get(0);
        if (!features.availableFeatures().contains(name)) {
            throw new IllegalArgumentException("No feature " + name + "; culex:features lists them.");
        }
        if (install) {
            features.install(name);
            out.println("Feature " + name + " installed.");
        } else if (!features.installedFeatures().contains(name)) {
            // the service would do nothing; say so rather than claim an uninstall (bundles from system/ stay)
            out.println("Feature " + name + " is not installed as a feature; nothing to uninstall.");
        } else {
            features.uninstall(name);
            out.println("Feature " + name + " uninstalled.");
        }
    }
}
