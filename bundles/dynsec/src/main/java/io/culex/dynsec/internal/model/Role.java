package io.culex.dynsec.internal.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A role: named lists of ACL entries, one list per {@link AclType}, each ordered by priority, highest first. */
public final class Role extends Named {

    private final Map<AclType, List<Acl>> acls = new EnumMap<>(AclType.class);

    public Role(String name) {
        super(name);
        for (AclType type : AclType.values()) {
            acls.put(type, new ArrayList<>());
        }
    }

    /** @return the entries of one type in check order (read only) */
    public List<Acl> acls(AclType type) {
        return List.copyOf(acls.get(type));
    }

    /** @return the entry of this type for exactly this topic, or null */
    public Acl acl(AclType type, String topic) {
        for (Acl acl : acls.get(type)) {
            if (acl.topic().equals(topic)) {
                return acl;
            }
        }
        return null;
    }

    /**
     * Add an entry after those of higher or equal priority (Mosquitto's order). A second entry for a topic already
     * in the list is ignored, as it could never be reached.
     *
     * @return false if the list already has an entry for the topic
     */
    public boolean addAcl(AclType type, Acl acl) {
        List<Acl> list = acls.get(type);
        if (acl(type, acl.topic()) != null) {
            return false;
        }
        int index = 0;
        while (index < list.size() && list.get(index).priority() >= acl.priority()) {
            index++;
        }
        list.add(index, acl);
        return true;
    }

    /** @return whether there was an entry for the topic */
    public boolean removeAcl(AclType type, String topic) {
        return acls.get(type).removeIf(acl -> acl.topic().equals(topic));
    }

    /** Replace every list by those of {@code other}. */
    public void replaceAcls(Role other) {
        for (AclType type : AclType.values()) {
            acls.put(type, new ArrayList<>(other.acls.get(type)));
        }
    }
}
