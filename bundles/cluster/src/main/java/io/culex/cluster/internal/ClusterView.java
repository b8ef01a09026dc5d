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
    /** Per member address, its clients and message rates. */
    final java.util.Map<String, MemberStats.Figures> figures;

    ClusterView(String name, String localMember, List<String> members, int localFilters, int remoteFilters,
            long forwarded, long received, java.util.Map<String, MemberStats.Figures> figures) {
        this.name = name;
        this.localMember = localMember;
        this.members = List.copyOf(members);
        this.localFilters = localFilters;
        this.remoteFilters = remoteFilters;
        this.forwarded = forwarded;
        this.received = received;
        this.figures = java.util.Map.copyOf(figures);
    }

    static ClusterView notJoined(String name) {
        return new ClusterView(name, null, List.of(), 0, 0, 0, 0, java.util.Map.of());
    }

    boolean joined() {
        return localMember != null;
    }
}
