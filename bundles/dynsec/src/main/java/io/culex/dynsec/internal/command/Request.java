package io.culex.dynsec.internal.command;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.dynsec.internal.access.Utf8;
import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.model.Named;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * One command of a request while it runs: its arguments, the model it works on, and where its answer goes. Every
 * command answers exactly once: {@link #ok()}, {@link #error(String)} or {@link #data(ObjectNode)}.
 */
final class Request {

    private final String command;
    private final JsonNode arguments;
    private final String correlationData;
    private final ArrayNode responses;
    final SecurityModel model;
    final Kicks kicks;
    private final String admin;
    private boolean changed;

    Request(String command, JsonNode arguments, String correlationData, ArrayNode responses, SecurityModel model,
            Kicks kicks, String admin) {
        this.command = command;
        this.arguments = arguments;
        this.correlationData = correlationData;
        this.responses = responses;
        this.model = model;
        this.kicks = kicks;
        this.admin = admin;
    }

    /** @return the command's arguments (the command object itself) */
    JsonNode arguments() {
        return arguments;
    }

    /** @return who sent the command, for the log: {@code clientid/username} */
    String admin() {
        return admin;
    }

    /** @return whether the command changed the model (the file must be saved) */
    boolean changed() {
        return changed;
    }

    /** The command succeeded and changed the model. */
    void changedOk() {
        changed = true;
        ok();
    }

    void ok() {
        responses.add(reply(null));
    }

    /** The command failed; nothing was changed. */
    void error(String message) {
        responses.add(reply(message));
    }

    /** A successful query: {@code {"command": .., "data": {..}, "correlationData": ..}}. */
    void data(ObjectNode data) {
        ObjectNode response = responses.addObject();
        response.put("command", command);
        response.set("data", data);
        if (correlationData != null) {
            response.put("correlationData", correlationData);
        }
    }

    /** A successful query answering one object: {@code "data": {"<member>": value}}. */
    void data(String member, JsonNode value) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set(member, value);
        data(data);
    }

    private ObjectNode reply(String error) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("command", command);
        if (error != null) {
            response.put("error", error);
        }
        if (correlationData != null) {
            response.put("correlationData", correlationData);
        }
        return response;
    }

    /**
     * A required name argument, checked as Mosquitto checks it; answers the error itself.
     *
     * @param field the member name, e.g. {@code username}
     * @param what the name in messages, e.g. {@code Username} ("Username not valid UTF-8")
     * @return the name, or null if the command has already been answered with an error
     */
    String name(String field, String what) {
        String value = Json.string(arguments, field);
        if (value == null) {
            error("Invalid/missing " + field);
            return null;
        }
        if (!Utf8.isValid(value)) {
            error(what + " not valid UTF-8");
            return null;
        }
        return value;
    }

    /**
     * A required name argument that must name something that exists; answers the error itself.
     *
     * @param field the member name, e.g. {@code username}
     * @param what the name in the UTF-8 message, see {@link #name}
     * @param lookup finds the thing by name
     * @param notFound the error when there is no such thing, e.g. {@code Client not found}
     * @return the thing, or null if the command has already been answered with an error
     */
    <T> T existing(String field, String what, Function<String, T> lookup, String notFound) {
        String value = name(field, what);
        if (value == null) {
            return null;
        }
        T found = lookup.apply(value);
        if (found == null) {
            error(notFound);
        }
        return found;
    }

    /** Set the display texts the command gives ({@code textname}, {@code textdescription}); keep the others. */
    void applyTexts(Named named) {
        String textName = optional("textname");
        if (textName != null) {
            named.textName(textName);
        }
        String textDescription = optional("textdescription");
        if (textDescription != null) {
            named.textDescription(textDescription);
        }
    }

    /** @return an optional string argument, or null; check {@link #badOptional} first */
    String optional(String field) {
        return Json.string(arguments, field);
    }

    /** @return true (and the error answered) if an optional string argument is there but not a string */
    boolean badOptional(String field, String message) {
        if (Json.notAString(arguments, field)) {
            error(message);
            return true;
        }
        return false;
    }

    int intOr(String field, int defaultValue) {
        return Json.intOr(arguments, field, defaultValue);
    }

    boolean boolOr(String field, boolean defaultValue) {
        return Json.boolOr(arguments, field, defaultValue);
    }
}
