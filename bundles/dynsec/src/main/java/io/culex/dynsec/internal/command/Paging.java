package io.culex.dynsec.internal.command;

import java.util.Collection;
import java.util.function.Consumer;

/** The {@code count}/{@code offset} arguments of the list commands, with Mosquitto's arithmetic. */
final class Paging {

    private Paging() {
    }

    /**
     * Hand the selected items to {@code sink}: from {@code offset} on, at most {@code count} (all if negative).
     * Like Mosquitto, a count of 0 still yields one item.
     */
    static <T> void page(Request r, Collection<T> items, Consumer<T> sink) {
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
