package io.culex.webconsole.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.culex.api.Broker;
import io.culex.bridge.BridgeStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics} on the admin listener: the {@code $SYS} counters for Prometheus. Served on the HTTP
 * service's default context, outside the console, so a scraper needs no console credential (the numbers are what
 * {@code $SYS/#} gives any MQTT client by default); bind the admin listener to loopback or a private network.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.name=culex-metrics",
    "osgi.http.whiteboard.servlet.pattern=/metrics"})
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Broker broker;
    private final transient BridgeStates bridges = new BridgeStates();

    @Activate
    public MetricsServlet(@Reference(name = "broker") Broker broker) {
        this.broker = broker;
    }

    @Reference(name = "bridges", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBridge(BridgeStatus status) {
        bridges.add(status);
    }

    void removeBridge(BridgeStatus status) {
        bridges.remove(status);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String text = PrometheusText.render(broker.statistics(), bridges.snapshot(), heap.getUsed(), heap.getMax());
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(text);
    }
}
