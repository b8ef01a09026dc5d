package io.culex.dynsec.internal.model;

import java.util.Locale;
import java.util.Optional;

/** The six kinds of role ACL, in the order Mosquitto writes them. */
public enum AclType {
    PUBLISH_CLIENT_SEND("publishClientSend"),
    PUBLISH_CLIENT_RECEIVE("publishClientReceive"),
    SUBSCRIBE_LITERAL("subscribeLiteral"),
    SUBSCRIBE_PATTERN("subscribePattern"),
    UNSUBSCRIBE_LITERAL("unsubscribeLiteral"),
    UNSUBSCRIBE_PATTERN("unsubscribePattern");

    private final String jsonName;

    AclType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** @return the name in the JSON API and file */
    public String jsonName() {
        return jsonName;
    }

    /** @return the type with this name, compared ignoring case as Mosquitto does */
    public static Optional<AclType> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (AclType type : values()) {
            if (type.jsonName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
