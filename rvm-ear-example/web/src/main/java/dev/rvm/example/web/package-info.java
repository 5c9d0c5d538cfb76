/**
 * The web module of the RVM example: Jakarta REST endpoints under {@code /api} (balances, transfers, the audit
 * summary, the adapter's statistics) and a static page ({@code index.html}) that uses them. The endpoints only
 * translate HTTP to calls of the ledger beans and their outcomes back to status codes; the transactions belong to
 * the beans.
 */
package dev.rvm.example.web;
