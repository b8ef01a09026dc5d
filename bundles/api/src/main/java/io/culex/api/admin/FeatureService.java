package io.culex.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs and uninstalls features at run time: Karaf's {@code feature:install}, for Culex.
 *
 * <p>A feature names bundles and default configurations. Installing it installs and starts every bundle of the
 * feature that is not already installed, and creates each of its configurations that does not exist yet (an
 * administrator's configuration is never overwritten). Uninstalling it uninstalls the bundles it installed that
 * no other installed feature needs, and deletes the configurations it created. Bundles that were installed before
 * the feature (for example from the distribution's {@code system/} directory) are left alone.
 *
 * <p>Connected clients stay connected: what a feature's services change applies from the next event, as for any
 * extension (see {@link io.culex.api}). Calls are serialised; they block for the time the framework takes to
 * install and start the bundles, so do not call them from a network thread.
 *
 * <p>Provided by the {@code io.culex.plugins} bundle, from the descriptors in {@code <culex.home>/features/*.xml}
 * (see {@code features/README.md}).
 */
@ProviderType
public interface FeatureService {

    /** @return the names of every feature described in the distribution, sorted */
    List<String> availableFeatures();

    /** @return the names of the features installed now, sorted */
    List<String> installedFeatures();

    /**
     * @param name a feature name
     * @return the symbolic names of the bundles the feature names, in its order
     * @throws IllegalArgumentException if there is no such feature
     */
    List<String> bundlesOf(String name);

    /**
     * Install a feature, with its default configurations, and start its bundles. Installing an installed feature
     * does nothing.
     *
     * @param name a feature name
     * @throws IllegalArgumentException if there is no such feature
     * @throws FeatureException if a bundle could not be installed or started; the message names the bundle and
     *     the reason (for a bundle that does not resolve, the missing requirement). Bundles of the feature that
     *     this call installed are uninstalled again, so a failed install changes nothing.
     */
    void install(String name) throws FeatureException;

    /**
     * Uninstall a feature. Uninstalling a feature that is not installed does nothing.
     *
     * @param name a feature name
     * @throws IllegalArgumentException if there is no such feature
     * @throws FeatureException if a bundle could not be uninstalled
     */
    void uninstall(String name) throws FeatureException;
}
