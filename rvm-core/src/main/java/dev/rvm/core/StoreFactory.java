package dev.rvm.core;

import dev.rvm.core.internal.Engine;

/**
 * The one place the public API names its implementation: {@link RecoverableMemory#open} comes here, so the interface
 * itself refers to public types only, and the internal package, which implements them, never refers back to this
 * class. Stateless.
 */
final class StoreFactory {
    private StoreFactory() {
    }

    static RecoverableMemory open(RvmOptions options) {
        return Engine.open(options);
    }
}
