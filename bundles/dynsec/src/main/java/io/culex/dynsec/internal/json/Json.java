package io.culex.dynsec.internal.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading JSON the way Mosquitto's plugin reads it with cJSON, so that the same requests get the same answers:
 * member names match ignoring ASCII case and the first match wins; a number where an int is wanted is truncated and
 * clamped to the int range; an optional value of the wrong type reads as "not there" for numbers and booleans.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Stands in for bytes that are not UTF-8. cJSON passes such bytes through and the plugin then rejects the name
     * as "not valid UTF-8"; U+FFFF is a noncharacter, which the same check rejects.
     */
    static final String MALFORMED = "\uFFFF";

    private Json() {
    }

    /**
     * Parse a request or file.
     *
     * @throws IOException if it is not JSON
     */
    public static JsonNode parse(byte[] bytes) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(MALFORMED);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(e);
        }
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    /** @return the member of an object with this name (ignoring ASCII case), or null */
    public static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (asciiEqualsIgnoreCase(entry.getKey(), name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** @return the string member, or null if it is missing or not a string */
    public static String string(JsonNode object, String name) {
        JsonNode node = field(object, name);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** @return true if the member is there but not a string (an optional string that must be refused) */
    public static boolean notAString(JsonNode object, String name) {
        JsonNode node = field(object, name);
        return node != null && !node.isTextual();
    }

    /** @return the member as an int (truncated, clamped), or the default if missing or not a number */
    public static int intOr(JsonNode object, String name, int defaultValue) {
        JsonNode node = field(object, name);
        if (node == null || !node.isNumber()) {
            return defaultValue;
        }
        double value = node.doubleValue();
        if (value >= Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        } else if (value <= Integer.MIN_VALUE) {
            return Integer.MIN_VALUE;
        }
        return (int) value;
    }

    /** @return the boolean member, or the default if missing or not a boolean */
    public static boolean boolOr(JsonNode object, String name, boolean defaultValue) {
        JsonNode node = field(object, name);
        return node != null && node.isBoolean() ? node.booleanValue() : defaultValue;
    }

    /** @return the member if it is an array, else null */
    public static JsonNode array(JsonNode object, String name) {
        JsonNode node = field(object, name);
        return node != null && node.isArray() ? node : null;
    }

    private static boolean asciiEqualsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
