package io.culex.dynsec.internal.model;

/**
 * What is allowed when no role of the client says anything: Mosquitto's {@code defaultACLAccess}. A "deny" here is
 * not a denial but no opinion (another plugin may still allow); {@code $CONTROL} topics never fall through to it.
 *
 * @param publishClientSend publishing
 * @param publishClientReceive receiving
 * @param subscribe subscribing
 * @param unsubscribe unsubscribing
 */
public record DefaultAccess(boolean publishClientSend, boolean publishClientReceive, boolean subscribe,
        boolean unsubscribe) {

    /** The names in the JSON API and file, in Mosquitto's order. */
    public static final String PUBLISH_CLIENT_SEND = "publishClientSend";
    public static final String PUBLISH_CLIENT_RECEIVE = "publishClientReceive";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    /** Mosquitto's state before any file or command: everything falls through to "no opinion". */
    public static final DefaultAccess NONE = new DefaultAccess(false, false, false, false);

    /** @return a copy with one access changed; an unknown name (compared ignoring case) changes nothing */
    public DefaultAccess with(String name, boolean allow) {
        if (PUBLISH_CLIENT_SEND.equalsIgnoreCase(name)) {
            return new DefaultAccess(allow, publishClientReceive, subscribe, unsubscribe);
        } else if (PUBLISH_CLIENT_RECEIVE.equalsIgnoreCase(name)) {
            return new DefaultAccess(publishClientSend, allow, subscribe, unsubscribe);
        } else if (SUBSCRIBE.equalsIgnoreCase(name)) {
            return new DefaultAccess(publishClientSend, publishClientReceive, allow, unsubscribe);
        } else if (UNSUBSCRIBE.equalsIgnoreCase(name)) {
            return new DefaultAccess(publishClientSend, publishClientReceive, subscribe, allow);
        }
        return this;
    }
}
