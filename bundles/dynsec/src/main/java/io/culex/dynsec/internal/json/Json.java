package io.culex.dynsec.internal.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reading JSON the way Mosquitto's plugin reads it with cJSON, so that the same requests get the same answers:
 * member names match ignoring ASCII case and the first match wins (also for a name given twice); a number where an int is wanted is truncated and
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
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("no JSON value");
            }
            return read(parser);
        }
    }

    /**
     * The tree of the value at the parser's current token. Unlike Jackson's own tree reader, a member name that
     * occurs twice in an object keeps its first value, as with cJSON.
     */
    private static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = MAPPER.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (object.has(name)) {
                    parser.skipChildren();
                } else {
                    object.set(name, read(parser));
                }
            }
            return object;
        } else if (token == JsonToken.START_ARRAY) {
            ArrayNode array = MAPPER.createArrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(read(parser));
            }
            return array;
        }
        return MAPPER.readTree(parser);
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
