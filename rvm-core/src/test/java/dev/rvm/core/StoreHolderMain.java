package dev.rvm.core;

import java.nio.file.Path;

/**
 * Child-process helper of {@link StoreLifecycleTest}: opens the store in the directory given as the only argument,
 * prints {@code OPEN} and sleeps until killed, so that the test can try to open the same store from another process.
 */
public final class StoreHolderMain {
    private StoreHolderMain() {
    }

    /** Entry point: {@code StoreHolderMain <store directory>}. */
    public static void main(String[] args) throws InterruptedException {
        RecoverableMemory rvm = RecoverableMemory.open(RvmOptions.builder(Path.of(args[0])).logSize(1 << 20).build());
        System.out.println("OPEN " + rvm.storeId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
