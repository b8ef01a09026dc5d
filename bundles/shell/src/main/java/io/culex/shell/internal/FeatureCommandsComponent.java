package io.culex.shell.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.culex.api.admin.FeatureService;

/**
 * The feature commands: {@code culex:features}, {@code feature-install}, {@code feature-uninstall}; present while
 * the {@code io.culex.plugins} bundle provides the {@link FeatureService}.
 */
@Component(immediate = true, service = {})
public final class FeatureCommandsComponent {

    private final GogoCommands commands;

    @Activate
    public FeatureCommandsComponent(BundleContext context, @Reference(name = "features") FeatureService features) {
        commands = new GogoCommands(context, List.of(new FeaturesCommand(features, context),
                FeatureChangeCommand.install(features), FeatureChangeCommand.uninstall(features)));
    }

    @Deactivate
    void deactivate() {
        commands.close();
    }
}
