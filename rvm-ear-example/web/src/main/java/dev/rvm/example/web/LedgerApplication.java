package dev.rvm.example.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Activates Jakarta REST for this module under {@code /api}; resources are found by scanning. */
@ApplicationPath("api")
public class LedgerApplication extends Application {
}
