package dev.rvm.tools.bench;

import java.util.SplittableRandom;

/**
 * Picks the two distinct accounts of each transaction for one worker thread, lower account first so that
 * concurrent transactions take their range locks in the same order and never deadlock. Not thread-safe.
 */
final class AccountPicker {
    private final AccessPattern pattern;
    private final int accounts;
    private final int hot;
    private final SplittableRandom random;
    private int cursor;
    private int low;
    private int high;

    AccountPicker(AccessPattern pattern, int accounts, int threadIndex, int threads, long seed) {
        if (accounts < 10) {
            throw new IllegalArgumentException("need at least 10 accounts, got " + accounts);
        }
        this.pattern = pattern;
        this.accounts = accounts;
        this.hot = accounts / 5;
        this.random = new SplittableRandom(seed * 31 + threadIndex);
        // Sequential threads walk disjoint stretches of the first half, so they do not contend for the same accounts.
        this.cursor = (int) ((long) threadIndex * (accounts / 2) / threads);
    }

    /** Chooses the next pair; read it with {@link #low()} and {@link #high()}. */
    void next() {
        int a;
        int b;
        switch (pattern) {
            case SEQUENTIAL:
                a = cursor;
                b = cursor + accounts / 2;
                cursor = cursor + 1 == accounts / 2 ? 0 : cursor + 1;
                break;
            case UNIFORM:
                a = random.nextInt(accounts);
                b = random.nextInt(accounts - 1);
                if (b >= a) {
                    b++;
                }
                break;
            default:
                a = skewed();
                do {
                    b = skewed();
                } while (b == a);
                break;
        }
        low = Math.min(a, b);
        high = Math.max(a, b);
    }

    private int skewed() {
        return random.nextInt(10) < 8 ? random.nextInt(hot) : hot + random.nextInt(accounts - hot);
    }

    int low() {
        return low;
    }

    int high() {
        return high;
    }

    /** An amount to move, 1..100. */
    long amount() {
        return 1 + random.nextInt(100);
    }
}
