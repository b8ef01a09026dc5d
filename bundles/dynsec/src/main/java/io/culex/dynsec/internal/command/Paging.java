package io.culex.dynsec.internal.command;

import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.model.Named;

/** The list commands: {@code verbose}, and {@code count}/{@code offset} with Mosquitto's arithmetic. */
final class Paging {

    private Paging() {
    }

    /**
     * Answer a list command: {@code {"totalCount": n, "<member>": [..]}} with the names of the selected items, or
     * their full views if {@code verbose} is true.
     */
    static <T extends Named> void answer(Request r, String member, Collection<T> items,
            Function<T, ObjectNode> view) {
        boolean verbose = r.boolOr("verbose", false);
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("totalCount", items.size());
        ArrayNode array = data.putArray(member);
        page(r, items, item -> {
            if (verbose) {
                array.add(view.apply(item));
            } else {
                array.add(item.name());
            }
        });
        r.data(data);
    }

    /**
     * Hand the selected items to {@code sink}: from {@code offset} on, at most {@code count} (all if negative).
     * Like Mosquitto, a count of 0 still yields one item.
     */
    private static <T> void page(Request r, Collection<T> items, Consumer<T> sink) {
        int count = r.intOr("count", -1);
        int offset = r.intOr("offset", 0);
        int index = 0;
        for (T item : items) {
            if (index >= offset) {
                sink.accept(item);
                if (count >= 0) {
                    count--;
                    if (count <= 0) {
                        break;
                    }
                }
            }
            index++;
        }
    }
}
