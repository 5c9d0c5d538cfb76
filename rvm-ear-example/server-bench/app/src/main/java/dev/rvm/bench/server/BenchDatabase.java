package dev.rvm.bench.server;

import java.util.Locale;

/**
 * The two XA databases of the benchmark and the JNDI names of their datasources, both declared in this
 * deployment's {@code WEB-INF/*-ds.xml}. Immutable.
 */
public enum BenchDatabase {
    /** H2, file database under the server's data directory, through WildFly's bundled {@code h2} driver. */
    H2("h2", "java:/jdbc/BenchH2XADS"),
    /** PostgreSQL through the deployed {@code postgresql.jar} driver and {@code PGXADataSource}. */
    POSTGRESQL("pg", "java:/jdbc/BenchPgXADS");

    private final String label;
    private final String jndiName;

    BenchDatabase(String label, String jndiName) {
        this.label = label;
        this.jndiName = jndiName;
    }

    /** @return the name used on the wire and in the report: {@code h2} or {@code pg} */
    public String label() {
        return label;
    }

    /** @return where the XA datasource is bound */
    public String jndiName() {
        return jndiName;
    }

    /**
     * The database named {@code label} ({@code h2} or {@code pg}, case-insensitive; {@code postgresql} too).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static BenchDatabase of(String label) {
        String l = label == null ? "" : label.toLowerCase(Locale.ROOT);
        if (l.equals("postgresql") || l.equals("postgres")) {
            return POSTGRESQL;
        }
        for (BenchDatabase d : values()) {
            if (d.label.equals(l)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown database '" + label + "'; one of h2, pg");
    }
}
