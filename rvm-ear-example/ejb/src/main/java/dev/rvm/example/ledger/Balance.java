package dev.rvm.example.ledger;

/**
 * One account and its balance. Immutable.
 *
 * @param account the account name
 * @param balance its balance, in the smallest unit of the currency
 */
public record Balance(String account, long balance) {
}
