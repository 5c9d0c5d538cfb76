package dev.rvm.example.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Logger;

/**
 * Logs the address of the page when the web module starts, so that the console of {@code mvn -Prun} shows where to
 * point a browser. The port is WildFly's HTTP port plus its port offset. Stateless, thread-safe.
 */
@WebListener
public class PageAddressLogger implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(PageAddressLogger.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        int port = Integer.getInteger("jboss.http.port", 8080) + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        LOG.info(() -> "RVM ledger page: http://localhost:" + port + event.getServletContext().getContextPath() + "/");
    }
}
