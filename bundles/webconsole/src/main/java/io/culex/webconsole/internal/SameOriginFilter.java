package io.culex.webconsole.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Cross-site request forgery protection for every page of the console, the standard ones included: a request that
 * changes something (any method but GET, HEAD, OPTIONS) must come from a page of the console itself, which the
 * browser proves with its {@code Origin} header (or, where it sends none, {@code Referer}). A browser logged in with
 * Basic authentication would otherwise let any web site it visits post to the console. Scripts send the header
 * themselves ({@code curl -H "Origin: http://127.0.0.1:8081"}). The MQTT page also checks a token of its own
 * ({@link CsrfTokens}). Runs after the security provider, so unauthenticated requests get 401 first.
 */
@Component(service = Filter.class, property = {
    "osgi.http.whiteboard.filter.name=culex-same-origin",
    "osgi.http.whiteboard.filter.pattern=/*",
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)"})
public final class SameOriginFilter implements Filter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (SAFE_METHODS.contains(http.getMethod().toUpperCase(Locale.ROOT))
                || isSameOrigin(http.getScheme(), http.getHeader("Host"), http.getHeader("Origin"),
                        http.getHeader("Referer"))) {
            chain.doFilter(request, response);
            return;
        }
        ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN,
                "Cross-site request refused: a request that changes something needs an Origin or Referer header "
                        + "naming this console");
    }

    /**
     * @param scheme the request's scheme ({@code http})
     * @param host the {@code Host} header ({@code 127.0.0.1:8081})
     * @param origin the {@code Origin} header, or null
     * @param referer the {@code Referer} header, or null (used only without an Origin)
     * @return whether the request comes from a page served by this host
     */
    static boolean isSameOrigin(String scheme, String host, String origin, String referer) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String ours = scheme.toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT);
        String claimed = origin != null ? origin : originOf(referer);
        return claimed != null && claimed.toLowerCase(Locale.ROOT).equals(ours);
    }

    private static String originOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
