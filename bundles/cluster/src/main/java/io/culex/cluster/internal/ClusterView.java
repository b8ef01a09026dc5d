package io.culex.cluster.internal;

import java.util.List;

import io.culex.api.Nullable;

/** A snapshot of a node's view of its cluster. */
final class ClusterView {

    final String name;
    /** This node's member id; {@code null} while not joined. */
    @Nullable final String localMember;
    /** The members' cluster addresses (host:port), this node's included. */
    final List<String> members;
    final int localFilters;
    final int remoteFilters;
    final long forwarded;
    final long received;
    /**
     * The configured members ({@code cluster_member host:port}) not in the cluster now: stopped, crashed or cut off
     * by a network split (Hazelcast cannot tell which).
     */
    final List<String> missing;
    /** Whether every partition this node owns has its backups in place (false while partitions migrate). */
    final boolean backedUp;
    /** Per member address, its clients and message rates. */
    final java.util.Map<String, MemberStats.Figures> figures;

    ClusterView(String name, String localMember, List<String> members, List<String> missing, boolean backedUp,
            int localFilters, int remoteFilters, long forwarded, long received,
            java.util.Map<String, MemberStats.Figures> figures) {
        this.name = name;
        this.localMember = localMember;
        this.members = List.copyOf(members);
        this.missing = List.copyOf(missing);
        this.backedUp = backedUp;
        this.localFilters = localFilters;
        this.remoteFilters = remoteFilters;
        this.forwarded = forwarded;
        this.received = received;
        this.figures = java.util.Map.copyOf(figures);
    }

    static ClusterView notJoined(String name) {
        return new ClusterView(name, null, List.of(), List.of(), false, 0, 0, 0, 0, java.util.Map.of());
    }

    boolean joined() {
        return localMember != null;
    }

    /**
     * @return {@code not joined}; {@code incomplete} while a configured member is missing; {@code migrating} while
     *         this node's partitions lack backups (a member just joined or left: this node dying now would lose
     *         what they hold); else {@code joined}
     */
    String state() {
        return !joined() ? "not joined" : !missing.isEmpty() ? "incomplete" : !backedUp ? "migrating" : "joined";
    }
}
