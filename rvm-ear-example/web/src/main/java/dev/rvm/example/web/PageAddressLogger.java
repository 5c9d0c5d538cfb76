package dev.rvm.example.web;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.logging.Logger;

/**
 * Logs the address of the page once it answers, so that the console of {@code mvn -Prun} shows where to point a
 * browser. The listener runs while the application is still deploying, and the page answers only when the whole
 * EAR is up, so the address is logged from a managed task that waits for the page (up to a minute). The port is
 * WildFly's HTTP port plus its port offset. Thread-safe.
 */
@WebListener
public class PageAddressLogger implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(PageAddressLogger.class.getName());
    private static final long WAIT_MILLIS = 60_000;

    @Resource
    private ManagedExecutorService executor;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        int port = Integer.getInteger("jboss.http.port", 8080) + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        String address = "http://localhost:" + port + event.getServletContext().getContextPath() + "/";
        if (executor == null) {
            LOG.info(() -> "RVM ledger page: " + address);
            return;
        }
        executor.execute(() -> {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (System.currentTimeMillis() < deadline && !answers(address)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            LOG.info(() -> "RVM ledger page: " + address);
        });
    }

    private static boolean answers(String address) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(address).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
