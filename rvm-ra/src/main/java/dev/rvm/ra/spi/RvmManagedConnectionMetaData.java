package dev.rvm.ra.spi;

import dev.rvm.ra.internal.Store;
import jakarta.resource.spi.ManagedConnectionMetaData;

/** What the container shows about an RVM managed connection. Immutable and thread-safe. */
public final class RvmManagedConnectionMetaData implements ManagedConnectionMetaData {
    private final Store store;

    RvmManagedConnectionMetaData(Store store) {
        this.store = store;
    }

    @Override
    public String getEISProductName() {
        return "RVM (Lightweight Recoverable Virtual Memory)";
    }

    @Override
    public String getEISProductVersion() {
        String v = RvmManagedConnectionMetaData.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    /** Unlimited: connections are cheap views on one store. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    /** RVM has no users; the store directory stands in. */
    @Override
    public String getUserName() {
        return store.config().directory().toString();
    }
}
