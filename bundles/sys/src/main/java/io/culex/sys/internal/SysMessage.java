package io.culex.sys.internal;

/**
 * One retained message of the tree.
 *
 * @param topic the {@code $SYS/broker/...} topic
 * @param payload the text, as Mosquitto formats it
 * @param expires whether it carries the message expiry interval ({@code $SYS/broker/version} does not)
 */
record SysMessage(String topic, String payload, boolean expires) {
}
