package dev.rvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text endpoint, parsed into samples ({@code name}, labels, value) and {@code # TYPE}
 * lines. Only what the tests need: no escapes inside label values, no timestamps. Immutable.
 */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A sample: its name, its labels sorted by name, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final Map<String, String> types = new LinkedHashMap<>();
    private final java.util.List<Sample> samples = new java.util.ArrayList<>();

    private PrometheusScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches()) {
                    Map<String, String> labels = new TreeMap<>();
                    if (m.group(2) != null) {
                        Matcher l = LABEL.matcher(m.group(2));
                        while (l.find()) {
                            labels.put(l.group(1), l.group(2));
                        }
                    }
                    samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
                }
            }
        }
    }

    /** GETs {@code url} (expects 200 and Prometheus text) and parses it. */
    static PrometheusScrape of(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new PrometheusScrape(r.body());
    }

    /** The {@code # TYPE} of a metric family, or null. */
    String type(String family) {
        return types.get(family);
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels} (pairs); fails if none. */
    double value(String name, String... labels) {
        Sample found = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && hasLabels(s, labels)) {
                if (found != null) {
                    throw new AssertionError("more than one sample " + name + " with " + String.join(",", labels));
                }
                found = s;
            }
        }
        assertNotNull(found, () -> "no sample " + name + " with labels " + String.join(",", labels) + " in:\n"
                + text);
        return found.value();
    }

    /** Whether any sample has this name. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Every sample named {@code name} with {@code labels}, in the order of the text. */
    java.util.List<Sample> all(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && hasLabels(s, labels)).toList();
    }

    private static boolean hasLabels(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
