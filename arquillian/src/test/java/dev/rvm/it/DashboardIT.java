package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTableRow;
import org.junit.jupiter.api.Test;

/**
 * The example's page in a real headless browser engine (HtmlUnit, which runs the page's JavaScript): it shows the
 * balances and RVM's figures without any JSON, a transfer made through its form shows up in the table, accounts
 * opened and closed through its form come and go in the table and the transfer's choices, and the plots keep
 * drawing new points and show the commit.
 */
class DashboardIT extends DeployedLedger {
    /** Refresh five times a second so that the test sees several samples quickly. */
    private static final String PAGE = "http://127.0.0.1:" + HTTP_PORT + "/rvm-ledger/?refresh=200";
    /** How long a condition the page should reach may take; far more than it needs. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]*\\spoints=\"([^\"]*)\"");
    private static final String[] PLOTS = {"p-commit-rate", "p-forces-per-commit", "p-log-use", "p-truncations"};

    @Test
    void transferThroughTheFormUpdatesTheTableAndThePlots() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setCssEnabled(false);
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(PAGE);
            await(page, () -> balances(page).size() == LedgerClient.ACCOUNTS, "balances shown");
            await(page, () -> points(page, "p-commit-rate") >= 2, "commit rate plotted");

            Map<String, Long> shown = new java.util.LinkedHashMap<>();
            for (String[] row : balances(page)) {
                shown.put(row[0], parse(row[1]));
            }
            assertEquals(client.balances(), shown, "the table shows the ledger's balances");
            assertEquals(LedgerClient.ACCOUNTS * LedgerClient.OPENING_BALANCE, parse(text(page, "total")));
            assertTrue(!page.asNormalizedText().contains("\"commitsFlush\""), "no JSON on the page");
            long commitsBefore = parse(text(page, "f-commits"));
            double truncationsMax = Double.parseDouble(page.getElementById("p-truncations").getAttribute("data-max"));
            assertTrue(truncationsMax >= 0);

            String from = TransactionProtocolIT.richest(client.balances());
            String to = from.equals("heidi") ? "grace" : "heidi";
            long fromBefore = shown.get(from);
            long toBefore = shown.get(to);
            ((HtmlSelect) page.getElementById("from")).setSelectedAttribute(from, true);
            ((HtmlSelect) page.getElementById("to")).setSelectedAttribute(to, true);
            ((HtmlInput) page.getElementById("amount")).setValue("7");
            ((HtmlInput) page.getElementById("memo")).setValue("through the page");
            int pointsBefore = points(page, "p-log-use");
            ((HtmlButton) page.getElementById("submit")).click();

            await(page, () -> text(page, "result").startsWith("Moved 7 from " + from + " to " + to),
                    "transfer outcome shown");
            await(page, () -> balance(page, from) == fromBefore - 7 && balance(page, to) == toBefore + 7,
                    "table updated after the transfer");
            assertEquals(client.balances().get(from), balance(page, from));
            await(page, () -> parse(text(page, "f-commits")) > commitsBefore, "commit counted in the figures");
            // The plots go on drawing, and the commit rate shows the commit of the transfer in the last minute.
            await(page, () -> points(page, "p-log-use") > pointsBefore, "plots refreshed");
            await(page, () -> Double.parseDouble(page.getElementById("p-commit-rate").getAttribute("data-max"))
                    > 0, "commit rate plot shows the commit");
            // Accounts opened and closed through the page show up in the table and in the transfer's choices.
            ((HtmlInput) page.getElementById("account-name")).setValue("page-account");
            ((HtmlButton) page.getElementById("open-account")).click();
            await(page, () -> text(page, "account-result").equals("Opened page-account.")
                    && balance(page, "page-account") == 0 && choices(page, "from").contains("page-account"),
                    "opened account shown");
            ((HtmlButton) page.getElementById("close-account")).click();
            await(page, () -> text(page, "account-result").equals("Closed page-account.")
                    && balance(page, "page-account") == Long.MIN_VALUE && !choices(page, "to").contains("page-account"),
                    "closed account gone");
            assertEquals(LedgerClient.ACCOUNTS, client.balances().size());
            // Stop the refreshing and let the request in flight finish, so that the plots are read whole.
            page.executeJavaScript("rvmDashboard.stop()");
            assertEquals(0, page.getEnclosingWindow().getJobManager().waitForJobs(PATIENCE.toMillis()),
                    "page idle after stop");
            for (String plot : PLOTS) {
                String svg = page.getElementById(plot).asXml();
                assertTrue(points(page, plot) >= 2, plot);
                Matcher line = POLYLINE.matcher(svg);
                assertTrue(line.find(), plot + ": " + svg);
                assertEquals(points(page, plot), line.group(1).trim().split(" ").length, plot + ": " + svg);
                assertTrue(!line.find(), "one line in " + plot + ": " + svg);
            }
            assertTrue(text(page, "f-loguse").endsWith("%"), text(page, "f-loguse"));
        }
    }

    /** Waits, letting the page's timers and requests run, until {@code condition} holds; fails after PATIENCE. */
    private static void await(HtmlPage page, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> what + " within " + PATIENCE + "; page:\n"
                    + page.asNormalizedText());
            page.getEnclosingWindow().getJobManager().waitForJobs(100);
        }
    }

    private static List<String[]> balances(HtmlPage page) {
        List<String[]> rows = new ArrayList<>();
        for (DomElement tr : page.getElementById("balances").getElementsByTagName("tr")) {
            HtmlTableRow row = (HtmlTableRow) tr;
            rows.add(new String[] {row.getCell(0).asNormalizedText(), row.getCell(1).asNormalizedText()});
        }
        return rows;
    }

    private static long balance(HtmlPage page, String account) {
        for (String[] row : balances(page)) {
            if (row[0].equals(account)) {
                return parse(row[1]);
            }
        }
        return Long.MIN_VALUE;
    }

    private static List<String> choices(HtmlPage page, String select) {
        List<String> out = new ArrayList<>();
        ((HtmlSelect) page.getElementById(select)).getOptions().forEach(o -> out.add(o.getValueAttribute()));
        return out;
    }

    private static int points(HtmlPage page, String plot) {
        String n = page.getElementById(plot).getAttribute("data-points");
        return n.isEmpty() ? 0 : Integer.parseInt(n);
    }

    private static String text(HtmlPage page, String id) {
        return page.getElementById(id).getTextContent().trim();
    }

    /** "1,234" -> 1234. */
    private static long parse(String shown) {
        return Long.parseLong(shown.replace(",", "").trim());
    }
}
