package io.culex.sys.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The text forms Mosquitto's sys_tree.c gives its values. */
final class SysFormat {

    private SysFormat() {
    }

    /**
     * C's {@code printf("%.2f")}: the double's exact value rounded half to even. {@code String.format} would differ
     * at exact ties (0.125 gives "0.13" there, "0.12" in C) and would follow the default locale's decimal separator.
     */
    static String twoDecimals(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code $SYS/broker/uptime}: {@code "<n> seconds"}. */
    static String uptime(long seconds) {
        return seconds + " seconds";
    }

    /** {@code $SYS/broker/version}: Mosquitto says {@code "mosquitto version 2.0.11"}. */
    static String version(String version) {
        return "culex version " + version;
    }
}
