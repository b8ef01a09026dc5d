package io.culex.dynsec.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.api.Access;
import io.culex.api.AuthenticationRequest;
import io.culex.api.Broker;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.dynsec.internal.access.AccessRules;
import io.culex.dynsec.internal.command.CommandProcessor;
import io.culex.dynsec.internal.command.Kicks;
import io.culex.dynsec.internal.json.ModelFile;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * The dynamic security plugin at work: the model and its file, the command thread, and the checks.
 *
 * <p>Commands run one request at a time on a thread of their own, which alone touches the model. A request that
 * changed something is saved (atomically, see {@link ModelFile}) before its response is sent and before the new
 * rules are published to the checks, so an answered change is on disk. If the save fails, the model goes back to
 * what it was and the changing commands are answered with an error.
 *
 * <p>Checks run on the network threads against an immutable {@link AccessRules}, replaced after every change.
 */
final class DynamicSecurity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicSecurity.class);

    private final ModelFile file;
    private final Supplier<Broker> broker;
    private final ExecutorService commands = Executors.newSingleThreadExecutor(
            r -> daemon(r, "culex-dynsec-commands"));
    private final ThreadPoolExecutor hashing = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> daemon(r, "culex-dynsec-hashing"));
    private SecurityModel model;
    private volatile AccessRules rules;

    private DynamicSecurity(ModelFile file, SecurityModel model, Supplier<Broker> broker) {
        this.file = file;
        this.model = model;
        this.broker = broker;
        this.rules = AccessRules.compile(model);
    }

    /**
     * Load the file. A missing file is an empty model, as in Mosquitto (the first change creates the file).
     *
     * @throws IOException if the file cannot be read
     * @throws ModelFile.InvalidFileException if it is not a dynamic security file
     */
    static DynamicSecurity open(ModelFile file, Supplier<Broker> broker)
            throws IOException, ModelFile.InvalidFileException {
        SecurityModel model;
        try {
            model = file.load();
            LOG.info("Dynamic security: {} loaded: {} clients, {} groups, {} roles.", file.path(),
                    model.clients().size(), model.groups().size(), model.roles().size());
        } catch (NoSuchFileException e) {
            LOG.error("Error loading Dynamic security plugin config: File is not readable - check permissions. "
                    + "({} does not exist; starting with no clients, groups or roles.)", file.path());
            model = new SecurityModel();
        }
        return new DynamicSecurity(file, model, broker);
    }

    /** Handle one request; the response is completed on the command thread. */
    CompletionStage<byte[]> handle(ClientInfo admin, byte[] payload) {
        String who = admin == null ? "broker" : admin.clientId() + "/" + admin.username();
        try {
            return CompletableFuture.supplyAsync(() -> run(payload, who), commands);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null); // stopping
        }
    }

    private byte[] run(byte[] payload, String admin) {
        ObjectNode before = ModelFile.toJson(model);
        CommandProcessor.Outcome outcome = CommandProcessor.process(model, payload, admin);
        if (!outcome.changed()) {
            return outcome.payload();
        }
        try {
            file.save(model);
        } catch (IOException | RuntimeException e) {
            LOG.error("Error saving Dynamic security plugin config {}: {}. The change is undone.", file.path(),
                    e.toString());
            undo(before, outcome.response());
            return outcome.payload();
        }
        rules = AccessRules.compile(model);
        kick(outcome.kicks());
        return outcome.payload();
    }

    /** Put the model back as it was and answer the commands that had changed it with an error. */
    private void undo(ObjectNode before, ObjectNode response) {
        try {
            model = ModelFile.fromJson(before);
        } catch (ModelFile.InvalidFileException e) {
            throw new IllegalStateException("cannot restore the dynamic security model", e);
        }
        for (JsonNode answer : response.path("responses")) {
            if (answer instanceof ObjectNode object && !object.has("error") && !object.has("data")) {
                object.put("error", "Internal error");
            }
        }
    }

    private void kick(Kicks kicks) {
        Broker current = broker.get();
        if (current == null) {
            return;
        }
        for (String username : kicks.usernames()) {
            current.kickClientsByUsername(username, false);
        }
        if (kicks.anonymous()) {
            current.kickClientsByUsername(null, false);
        }
    }

    /**
     * Mosquitto's {@code dynsec_auth__basic_auth_callback}: users it does not know, and users without a password,
     * are left to other authenticators.
     */
    CompletionStage<Decision> authenticate(AuthenticationRequest request) {
        String username = request.username();
        byte[] password = request.password();
        if (username == null || password == null) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        AccessRules.User user = rules.user(username);
        if (user == null) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        if (user.disabled() || (user.clientId() != null && !user.clientId().equals(request.clientId()))) {
            return CompletableFuture.completedFuture(Decision.DENY);
        }
        if (user.password() == null) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        byte[] candidate = cString(password);
        try {
            return CompletableFuture.supplyAsync(
                    () -> user.password().matches(candidate) ? Decision.ALLOW : Decision.DENY, hashing);
        } catch (RejectedExecutionException e) {
            LOG.warn("Dynamic security: too many logins waiting for password checks; refusing {}.", username);
            return CompletableFuture.completedFuture(Decision.DENY);
        }
    }

    /** Mosquitto hands the plugin the password as a C string: it ends at the first zero byte. */
    private static byte[] cString(byte[] password) {
        for (int i = 0; i < password.length; i++) {
            if (password[i] == 0) {
                return Arrays.copyOf(password, i);
            }
        }
        return password;
    }

    Decision authorize(ClientInfo client, Access access, String topic) {
        return rules.authorize(client.username(), access, topic);
    }

    /** Let the commands already queued finish (their changes are saved), then stop. */
    @Override
    public void close() {
        commands.shutdown();
        hashing.shutdown();
        try {
            if (!commands.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Dynamic security: commands still running at stop.");
                commands.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commands.shutdownNow();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
