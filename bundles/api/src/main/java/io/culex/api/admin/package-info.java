/**
 * Administration of a running Culex broker, for the shell, the web console and other management tools.
 *
 * <p>{@link io.culex.api.admin.FeatureService} installs and uninstalls <em>features</em>: named sets of bundles
 * with their default configuration, described by the files in the distribution's {@code features/} directory.
 *
 * <p>Versioned separately from {@code io.culex.api}: a plugin that only implements the SPI does not import it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.culex.api.admin;
