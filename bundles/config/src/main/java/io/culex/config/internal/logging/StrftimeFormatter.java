package io.culex.config.internal.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats a time with a C {@code strftime} format, which is what Mosquitto's {@code log_timestamp_format} takes:
 * users copy their format from mosquitto.conf, so it must not need translating into a Java pattern. Covers the
 * C99 and POSIX conversions plus the common GNU ones ({@code %k %l %P %s} and the {@code -}/{@code _}/{@code 0}
 * padding flags), in the C locale, which is what Mosquitto runs under as a service. An unknown conversion is
 * printed as written, as glibc does.
 */
public final class StrftimeFormatter {

    private static final Locale C_LOCALE = Locale.ENGLISH;
    private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", C_LOCALE);

    /** A literal run of text, or a conversion (with its GNU padding flag, or 0 for none). */
    private record Part(String literal, char conversion, char flag) {
    }

    private final List<Part> parts;

    private StrftimeFormatter(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static StrftimeFormatter compile(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%' || i >= format.length()) {
                literal.append(c);
                continue;
            }
            char flag = 0;
            char conversion = format.charAt(i++);
            if ((conversion == '-' || conversion == '_' || conversion == '0') && i < format.length()) {
                flag = conversion;
                conversion = format.charAt(i++);
            }
            if (literal.length() > 0) {
                parts.add(new Part(literal.toString(), (char) 0, (char) 0));
                literal.setLength(0);
            }
            parts.add(new Part(null, conversion, flag));
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), (char) 0, (char) 0));
        }
        return new StrftimeFormatter(parts);
    }

    public String format(Instant instant, ZoneId zone) {
        ZonedDateTime time = instant.atZone(zone);
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.literal() != null) {
                out.append(part.literal());
            } else {
                appendConversion(out, time, part.conversion(), part.flag());
            }
        }
        return out.toString();
    }

    private static void appendConversion(StringBuilder out, ZonedDateTime time, char conversion, char flag) {
        switch (conversion) {
            case 'a' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.SHORT, C_LOCALE));
            case 'A' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.FULL, C_LOCALE));
            case 'b', 'h' -> out.append(time.getMonth().getDisplayName(TextStyle.SHORT, C_LOCALE));
            case 'B' -> out.append(time.getMonth().getDisplayName(TextStyle.FULL, C_LOCALE));
            case 'c' -> out.append(compile("%a %b %e %H:%M:%S %Y").format(time.toInstant(), time.getZone()));
            case 'C' -> number(out, time.getYear() / 100, 2, '0', flag);
            case 'd' -> number(out, time.getDayOfMonth(), 2, '0', flag);
            case 'e' -> number(out, time.getDayOfMonth(), 2, ' ', flag);
            case 'D', 'x' -> out.append(compile("%m/%d/%y").format(time.toInstant(), time.getZone()));
            case 'F' -> out.append(compile("%Y-%m-%d").format(time.toInstant(), time.getZone()));
            case 'g' -> number(out, time.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, '0', flag);
            case 'G' -> out.append(time.get(IsoFields.WEEK_BASED_YEAR));
            case 'H' -> number(out, time.getHour(), 2, '0', flag);
            case 'I' -> number(out, twelveHour(time), 2, '0', flag);
            case 'k' -> number(out, time.getHour(), 2, ' ', flag);
            case 'l' -> number(out, twelveHour(time), 2, ' ', flag);
            case 'j' -> number(out, time.getDayOfYear(), 3, '0', flag);
            case 'm' -> number(out, time.getMonthValue(), 2, '0', flag);
            case 'M' -> number(out, time.getMinute(), 2, '0', flag);
            case 'S' -> number(out, time.getSecond(), 2, '0', flag);
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case '%' -> out.append('%');
            case 'p' -> out.append(time.getHour() < 12 ? "AM" : "PM");
            case 'P' -> out.append(time.getHour() < 12 ? "am" : "pm");
            case 'r' -> out.append(compile("%I:%M:%S %p").format(time.toInstant(), time.getZone()));
            case 'R' -> out.append(compile("%H:%M").format(time.toInstant(), time.getZone()));
            case 'T', 'X' -> out.append(compile("%H:%M:%S").format(time.toInstant(), time.getZone()));
            case 's' -> out.append(time.toEpochSecond());
            case 'u' -> out.append(time.getDayOfWeek().getValue());
            case 'w' -> out.append(time.getDayOfWeek().getValue() % 7);
            case 'U' -> number(out, weekOfYear(time, 0), 2, '0', flag);
            case 'W' -> number(out, weekOfYear(time, 1), 2, '0', flag);
            case 'V' -> number(out, time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', flag);
            case 'y' -> number(out, time.getYear() % 100, 2, '0', flag);
            case 'Y' -> out.append(time.getYear());
            case 'z' -> out.append(offset(time.getOffset()));
            case 'Z' -> out.append(zoneAbbreviation(time));
            default -> {
                out.append('%');
                if (flag != 0) {
                    out.append(flag);
                }
                out.append(conversion);
            }
        }
    }

    private static int twelveHour(ZonedDateTime time) {
        int hour = time.getHour() % 12;
        return hour == 0 ? 12 : hour;
    }

    /** %U (weeks start on Sunday, firstWeekday 0) and %W (on Monday, 1): days before the first one are week 0. */
    private static int weekOfYear(ZonedDateTime time, int firstWeekday) {
        int dayOfYear = time.getDayOfYear() - 1;
        int weekday = time.getDayOfWeek().getValue() % 7; // Sunday = 0
        int daysSinceWeekStart = (weekday - firstWeekday + 7) % 7;
        return (dayOfYear + 7 - daysSinceWeekStart) / 7;
    }

    private static String offset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        return String.format(Locale.ROOT, "%c%02d%02d", seconds < 0 ? '-' : '+', minutes / 60, minutes % 60);
    }

    private static String zoneAbbreviation(ZonedDateTime time) {
        ZoneId zone = time.getZone();
        if (zone instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : offset(offset);
        }
        return ZONE_ABBREVIATION.format(time);
    }

    /** A number padded as strftime pads it; GNU's "-" removes the padding, "_" pads with spaces, "0" with zeros. */
    private static void number(StringBuilder out, int value, int width, char defaultPad, char flag) {
        String digits = Integer.toString(value);
        if (flag == '-') {
            out.append(digits);
            return;
        }
        char pad = flag == '_' ? ' ' : flag == '0' ? '0' : defaultPad;
        for (int i = digits.length(); i < width; i++) {
            out.append(pad);
        }
        out.append(digits);
    }
}
