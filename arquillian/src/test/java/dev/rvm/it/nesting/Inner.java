package dev.rvm.it.nesting;

/** A bean whose method runs in a transaction of its own ({@code REQUIRES_NEW}). */
public interface Inner {
    /**
     * Writes slot {@code slot}; if {@code nest}, then calls the other kind of inner bean for {@link Slots#INNER2}
     * and writes {@link Slots#INNER_AFTER}; if {@code fail}, then throws, which rolls this transaction back.
     */
    void write(int run, int slot, boolean fail, boolean nest);
}
