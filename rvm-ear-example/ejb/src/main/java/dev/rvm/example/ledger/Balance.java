package dev.rvm.example.ledger;

import java.io.Serializable;

/**
 * One account and its balance; serializable, as the remote ledger bean returns it to the other server. Immutable.
 *
 * @param account the account name
 * @param balance its balance, in the smallest unit of the currency
 */
public record Balance(String account, long balance) implements Serializable {
    private static final long serialVersionUID = 1L;
}
