package io.culex.config.internal;

/** Reads one option line into the parse state. Errors are thrown without a location; the parser adds it. */
@FunctionalInterface
interface OptionHandler {

    void apply(ParseState state, OptionLine line) throws ConfigException;
}
