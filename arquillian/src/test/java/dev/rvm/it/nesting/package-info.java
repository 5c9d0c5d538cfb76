/**
 * Test-only beans that run inside WildFly, deployed as {@code rvm-nesting.war} beside the RAR and the example EAR:
 * a {@code REQUIRED} session bean that writes RVM and the database and calls, on the same thread,
 * {@code REQUIRES_NEW} EJB and CDI {@code @Transactional} beans and a {@code NOT_SUPPORTED} bean that try the same
 * — the container-managed patterns in which one thread holds several RVM transactions, one at a time.
 */
package dev.rvm.it.nesting;
