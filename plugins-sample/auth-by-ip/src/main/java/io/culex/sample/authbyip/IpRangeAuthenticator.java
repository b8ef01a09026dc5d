package io.culex.sample.authbyip;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.culex.api.AuthenticationRequest;
import io.culex.api.Authenticator;
import io.culex.api.Decision;

/**
 * Lets clients connect only from the configured IP ranges, like Mosquitto's {@code auth-by-ip} example plugin:
 * a client whose address is in a range is {@link Decision#ALLOW allowed} (no password is checked after it), any
 * other TCP client is {@link Decision#DENY denied}. Clients without an IP address (Unix socket listeners) are left
 * to the rest of the chain ({@link Decision#DEFER}).
 *
 * <p>Configuration (PID {@code io.culex.sample.authbyip}, the bundle's symbolic name, so {@code plugin_opt_ranges}
 * in culex.conf arrives here): {@code ranges}, a comma separated list of CIDR blocks. Without configuration only
 * the loopback addresses are allowed.
 */
@Component(configurationPid = IpRangeAuthenticator.PID, service = Authenticator.class)
@Designate(ocd = IpRangeAuthenticator.Config.class)
public final class IpRangeAuthenticator implements Authenticator {

    static final String PID = "io.culex.sample.authbyip";

    @ObjectClassDefinition(name = "Culex sample: authentication by IP range")
    public @interface Config {
        @AttributeDefinition(description = "Comma separated CIDR blocks or addresses whose clients are allowed")
        String ranges() default "127.0.0.0/8,::1";
    }

    private static final CompletionStage<Decision> ALLOW = CompletableFuture.completedFuture(Decision.ALLOW);
    private static final CompletionStage<Decision> DENY = CompletableFuture.completedFuture(Decision.DENY);
    private static final CompletionStage<Decision> DEFER = CompletableFuture.completedFuture(Decision.DEFER);

    /**
     * Replaced as a whole by {@link #modified}: a CONNECT being checked on a network thread reads one consistent
     * list without locking.
     */
    private volatile List<AddressRange> allowed;

    @Activate
    @Modified
    void configure(Config config) {
        // A bad range fails activation (DS logs it with this bundle's name), so no authenticator is registered
        // rather than one that allows less or more than the administrator wrote.
        allowed = parseRanges(config.ranges());
    }

    static List<AddressRange> parseRanges(String ranges) {
        List<AddressRange> result = new ArrayList<>();
        for (String part : ranges.split(",")) {
            if (!part.isBlank()) {
                result.add(AddressRange.parse(part));
            }
        }
        return List.copyOf(result);
    }

    @Override
    public CompletionStage<Decision> authenticate(AuthenticationRequest request) {
        // Runs on the client's network thread: everything here is in memory, so the answer is immediate.
        SocketAddress remote = request.remoteAddress();
        if (!(remote instanceof InetSocketAddress) || ((InetSocketAddress) remote).getAddress() == null) {
            return DEFER;
        }
        for (AddressRange range : allowed) {
            if (range.contains(((InetSocketAddress) remote).getAddress())) {
                return ALLOW;
            }
        }
        return DENY;
    }
}
