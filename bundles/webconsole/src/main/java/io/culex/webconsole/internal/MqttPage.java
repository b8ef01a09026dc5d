package io.culex.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.culex.api.Broker;
import io.culex.api.admin.FeatureService;
import io.culex.bridge.BridgeStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Web Console's "MQTT" page ({@code /system/console/mqtt}): plain HTML and a small script
 * ({@code res/culex/mqtt.js}) that polls {@code mqtt/data.json} and posts the actions of {@link MqttActions}.
 * Every POST must carry the page's {@link CsrfTokens token}; {@link SameOriginFilter} checks its origin too.
 */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=" + MqttPage.LABEL,
    ServletConstants.PLUGIN_TITLE + "=MQTT",
    ServletConstants.PLUGIN_CATEGORY + "=Culex"})
public final class MqttPage extends AbstractServlet {

    static final String LABEL = "mqtt";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MqttPage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Broker broker;
    private final transient BridgeConfigurations bridgeConfigurations;
    private final transient BridgeStates bridges = new BridgeStates();
    private final transient CsrfTokens tokens = new CsrfTokens(new SecureRandom());
    private transient volatile FeatureService features;

    @Activate
    public MqttPage(@Reference(name = "broker") Broker broker,
            @Reference(name = "configurationAdmin") ConfigurationAdmin configurationAdmin) {
        this.broker = broker;
        this.bridgeConfigurations = new BridgeConfigurations(configurationAdmin);
    }

    @Reference(name = "features", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setFeatures(FeatureService service) {
        features = service;
    }

    void unsetFeatures(FeatureService service) {
        if (features == service) {
            features = null;
        }
    }

    @Reference(name = "bridges", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBridge(BridgeStatus status) {
        bridges.add(status);
    }

    void removeBridge(BridgeStatus status) {
        bridges.remove(status);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (request.getRequestURI().endsWith("/" + LABEL + "/data.json")) {
            String filter = request.getParameter("retained");
            Map<String, Object> data;
            try {
                data = MqttSnapshot.of(broker, features, bridgeConfigurations, bridges.snapshot(),
                        filter == null || filter.isEmpty() ? "#" : filter);
            } catch (Exception e) {
                LOG.warn("The MQTT page could not read the broker's state", e);
                sendJson(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, Map.of("error", e.toString()));
                return;
            }
            sendJson(response, HttpServletResponse.SC_OK, data);
            return;
        }
        super.doGet(request, response); // our res/ files; anything else becomes the framed page (renderContent)
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String html;
        try (InputStream in = MqttPage.class.getResourceAsStream("/res/culex/mqtt.html")) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String pluginRoot = String.valueOf(request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT));
        response.getWriter().print(html.replace("${pluginRoot}", pluginRoot)
                .replace("${csrfToken}", tokens.tokenFor(user(request))));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!tokens.isValid(user(request), request.getHeader(CsrfTokens.HEADER))) {
            sendJson(response, HttpServletResponse.SC_FORBIDDEN,
                    Map.of("error", "Missing or wrong " + CsrfTokens.HEADER + ": reload the page"));
            return;
        }
        String action = request.getParameter("action");
        try {
            String done = new MqttActions(broker, features, bridgeConfigurations).run(action, request::getParameter);
            LOG.info("Web console ({}): {}", user(request), done);
            sendJson(response, HttpServletResponse.SC_OK, Map.of("message", done));
        } catch (IllegalArgumentException e) {
            sendJson(response, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", e.getMessage()));
        } catch (Exception e) {
            LOG.warn("Web console action {} failed", action, e);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            sendJson(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, error);
        }
    }

    /** The user the security provider authenticated (its user object is the name). */
    private static String user(HttpServletRequest request) {
        Object user = request.getAttribute(User.USER_ATTRIBUTE);
        return user instanceof User u ? String.valueOf(u.getUserObject()) : "";
    }

    private static void sendJson(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        setNoCache(response);
        JSON.writeValue(response.getWriter(), body);
    }
}
