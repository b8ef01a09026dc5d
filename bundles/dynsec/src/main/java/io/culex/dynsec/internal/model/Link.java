package io.culex.dynsec.internal.model;

import java.util.Comparator;
import java.util.List;

/**
 * A membership with a priority: a role of a client or group, or a group of a client. Mosquitto keeps these lists
 * ordered by priority, highest first, then by name; a priority of -1 means "none given" and is not written out.
 *
 * @param <T> the kind of thing linked to
 * @param target the role or group
 * @param priority the priority
 */
public record Link<T extends Named>(T target, int priority) {

    /** The priority Mosquitto uses when none is given. */
    public static final int NO_PRIORITY = -1;

    private static final Comparator<Link<?>> ORDER = Comparator.<Link<?>>comparingInt(Link::priority).reversed()
            .thenComparing(link -> link.target().name(), Names.ORDER);

    /** @return the name of the target */
    public String name() {
        return target.name();
    }

    /** Insert in Mosquitto's order; a list never holds the same name twice. @return false if already there */
    static <T extends Named> boolean insert(List<Link<T>> list, T target, int priority) {
        if (find(list, target.name()) != null) {
            return false;
        }
        Link<T> link = new Link<>(target, priority);
        int index = 0;
        while (index < list.size() && ORDER.compare(list.get(index), link) < 0) {
            index++;
        }
        list.add(index, link);
        return true;
    }

    static <T extends Named> Link<T> find(List<Link<T>> list, String name) {
        for (Link<T> link : list) {
            if (link.name().equals(name)) {
                return link;
            }
        }
        return null;
    }

    static <T extends Named> boolean remove(List<Link<T>> list, String name) {
        return list.removeIf(link -> link.name().equals(name));
    }
}
