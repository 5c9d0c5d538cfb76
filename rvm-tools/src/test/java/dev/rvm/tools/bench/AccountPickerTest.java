package dev.rvm.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccountPickerTest {
    private static final int ACCOUNTS = 100_000;

    @Test
    void everyPatternPicksTwoDistinctAccountsLowerFirst() {
        for (AccessPattern p : AccessPattern.values()) {
            AccountPicker picker = new AccountPicker(p, ACCOUNTS, 1, 4, 7);
            for (int i = 0; i < 100_000; i++) {
                picker.next();
                assertTrue(picker.low() < picker.high(), p + ": " + picker.low() + " / " + picker.high());
                assertTrue(picker.low() >= 0 && picker.high() < ACCOUNTS, p + " out of range");
            }
        }
    }

    @Test
    void hotSetReceivesAboutEightyPercentOfPicks() {
        AccountPicker picker = new AccountPicker(AccessPattern.HOT_80_20, ACCOUNTS, 0, 1, 7);
        long hot = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            picker.next();
            hot += (picker.low() < ACCOUNTS / 5 ? 1 : 0) + (picker.high() < ACCOUNTS / 5 ? 1 : 0);
        }
        double share = hot / (2.0 * n);
        assertTrue(share > 0.78 && share < 0.82, "hot share " + share);
    }

    @Test
    void sequentialWalksOneAccountPerTransaction() {
        AccountPicker picker = new AccountPicker(AccessPattern.SEQUENTIAL, ACCOUNTS, 0, 1, 7);
        picker.next();
        assertEquals(0, picker.low());
        assertEquals(ACCOUNTS / 2, picker.high());
        picker.next();
        assertEquals(1, picker.low());
        assertEquals(ACCOUNTS / 2 + 1, picker.high());
    }
}
