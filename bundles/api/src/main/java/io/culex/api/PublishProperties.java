package io.culex.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The MQTT 5 properties a message carries from its publisher to its subscribers unchanged (MQTT 5 3.3.2.3):
 * implemented by the broker, immutable. MQTT 3.x publishers send none; their messages have none of these.
 *
 * @since 1.4
 */
@ProviderType
public interface PublishProperties {

    /** @return whether the publisher declared the payload UTF-8 text (Payload Format Indicator 1) */
    boolean payloadFormatUtf8();

    /** @return the Content Type, or {@code null} */
    @Nullable
    String contentType();

    /** @return the Response Topic, or {@code null} */
    @Nullable
    String responseTopic();

    /** @return a copy of the Correlation Data, or {@code null} */
    @Nullable
    byte[] correlationData();

    /** @return the User Properties in the order the publisher sent them (names may repeat); empty if none */
    List<Map.Entry<String, String>> userProperties();
}
