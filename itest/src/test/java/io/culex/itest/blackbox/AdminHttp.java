package io.culex.itest.blackbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain HTTP requests to the admin listener, as a script or an attacker's page would send them. */
final class AdminHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TOKEN = Pattern.compile("data-csrf-token=\"([^\"]+)\"");

    private final int port;

    AdminHttp(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(20));
    }

    static HttpRequest.Builder withCredential(HttpRequest.Builder request, String user, String password) {
        return request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        return send(user == null ? request : withCredential(request, user, password));
    }

    static HttpRequest.Builder form(HttpRequest.Builder request, String body) {
        return request.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The anti-CSRF token the MQTT page carries for this user. */
    String mqttPageToken(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> page = get("/system/console/mqtt", user, password);
        Matcher m = TOKEN.matcher(page.body());
        if (page.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no token on the MQTT page: " + page.statusCode() + "\n" + page.body());
        }
        return m.group(1);
    }
}
