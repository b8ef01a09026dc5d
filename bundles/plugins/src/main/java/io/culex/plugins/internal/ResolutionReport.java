package io.culex.plugins.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/** The reason a bundle did not start, in one line: for a bundle that does not resolve, the missing requirement. */
final class ResolutionReport {

    private ResolutionReport() {
    }

    static String describe(Bundle bundle, Throwable failure) {
        StringBuilder text = new StringBuilder();
        text.append(bundle.getSymbolicName() == null ? "(no Bundle-SymbolicName)" : bundle.getSymbolicName())
                .append(' ').append(bundle.getVersion()).append(" [").append(bundle.getBundleId()).append("]: ");
        return text.append(reason(failure)).toString();
    }

    static String reason(Throwable failure) {
        // Felix puts the resolver's explanation ("Unable to resolve ...: missing requirement [...] osgi.wiring.package;
        // (&(osgi.wiring.package=...)...)") in the message of the BundleException, and the cause is usually the
        // ResolutionException that says the same: the first message is the useful one.
        String message = failure.getMessage();
        if (failure instanceof BundleException && ((BundleException) failure).getType()
                == BundleException.RESOLVE_ERROR && failure.getCause() != null
                && failure.getCause().getMessage() != null && message != null
                && !message.contains("missing requirement")) {
            message = message + ": " + failure.getCause().getMessage();
        }
        return message == null ? failure.toString() : message.replace('\n', ' ');
    }
}
