package io.culex.dynsec.internal.model;

/**
 * One ACL entry of a role.
 *
 * @param topic the topic filter
 * @param priority higher is checked first
 * @param allow whether a match allows or denies
 */
public record Acl(String topic, int priority, boolean allow) {
}
