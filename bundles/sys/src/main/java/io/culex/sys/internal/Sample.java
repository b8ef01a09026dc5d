package io.culex.sys.internal;

import io.culex.api.BrokerStatistics;

/**
 * What one update of the tree is computed from.
 *
 * @param stats the broker's counters
 * @param heapUsedBytes Java heap in use now
 * @param heapMaximumBytes most Java heap seen in use at an update
 * @param nanoTime {@link System#nanoTime()} when taken
 */
record Sample(BrokerStatistics stats, long heapUsedBytes, long heapMaximumBytes, long nanoTime) {
}
