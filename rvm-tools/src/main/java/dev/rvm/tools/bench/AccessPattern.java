package dev.rvm.tools.bench;

/** How a debit-credit transaction chooses its two accounts. */
public enum AccessPattern {
    /** Account {@code i} and account {@code i + n/2}, {@code i} advancing by one per transaction (per thread). */
    SEQUENTIAL,
    /** Two distinct accounts drawn uniformly. */
    UNIFORM,
    /** Each account drawn from a hot 20 % of the accounts with probability 0.8, else from the other 80 %. */
    HOT_80_20
}
