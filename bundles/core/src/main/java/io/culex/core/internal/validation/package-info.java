/**
 * Inbound packets checked against the MQTT specification before they are decoded: framing, the packet size limit,
 * and each packet type's fields, flags, properties and values, with the reason code the specification gives for
 * each violation.
 */
package io.culex.core.internal.validation;
