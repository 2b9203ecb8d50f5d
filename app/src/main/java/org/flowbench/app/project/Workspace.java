package org.flowbench.app.project;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user state around projects: the recent-files list, and for each open window its autosave and a running
 * marker, in {@code sessions/}. A window's files are named by its process id and start time; the marker records
 * both, so a marker whose process is gone (or whose id was reused by another process) is a crash, never a live
 * window. {@link #recoverable()} offers the autosaves of crashed windows only: a second window never sees, takes or
 * deletes the first one's. A clean exit removes the window's own marker and autosave.
 */
public final class Workspace {
    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);
    private static final int MAX_RECENT = 10;

    /** A crashed window's autosaved project and the files that hold it. */
    public record Recovery(Project project, Path autosave, Path marker) {}

    private final Path dir;
    private final String session;

    public Workspace(Path dir) {
        this(dir, ProcessHandle.current().pid());
    }

    /** A workspace for the window of process {@code pid} (tests give other ids). */
    Workspace(Path dir, long pid) {
        this.dir = dir;
        this.session = pid + "-" + startOf(pid);
    }

    /** {@code -Dflowbench.config}, else {@code ~/.flowbench}. */
    public static Workspace user() {
        String p = System.getProperty("flowbench.config");
        return new Workspace(p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".flowbench"));
    }

    public Path dir() {
        return dir;
    }

    Path sessions() {
        return dir.resolve("sessions");
    }

    /** This window's autosave file. */
    public Path autosaveFile() {
        return sessions().resolve(session + ProjectFiles.EXTENSION);
    }

    Path marker() {
        return sessions().resolve(session + ".running");
    }

    /** The start time of process pid in milliseconds, or 0 when unknown (the process is gone). */
    static long startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli)
                .orElse(0L);
    }

    /** Whether the window whose marker says "pid start" still runs: the same process, not a reused id. */
    static boolean alive(String marker) {
        String[] parts = marker.trim().split("\\s+");
        try {
            long pid = Long.parseLong(parts[0]);
            long start = parts.length > 1 ? Long.parseLong(parts[1]) : -1;
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            return h.isPresent() && h.get().isAlive() && (start < 0 || startOf(pid) == start);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The autosaved projects of windows that ended without a clean exit, newest first (including one autosave of an
     * earlier Flowbench version, which kept a single {@code autosave.flowbench} and {@code running}); call before
     * {@link #opened()}. Windows that still run are never listed.
     */
    public List<Recovery> recoverable() {
        List<Recovery> out = new ArrayList<>();
        List<Path[]> candidates = new ArrayList<>();
        if (Files.isDirectory(sessions())) {
            try (java.util.stream.Stream<Path> s = Files.list(sessions())) {
                s.filter(f -> f.getFileName().toString().endsWith(".running")).forEach(m -> candidates.add(new Path[] {
                        m, m.resolveSibling(m.getFileName().toString().replace(".running", ProjectFiles.EXTENSION))}));
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", sessions(), e.getMessage());
            }
        }
        candidates.add(new Path[] {dir.resolve("running"), dir.resolve("autosave" + ProjectFiles.EXTENSION)});
        for (Path[] c : candidates) {
            if (!Files.isRegularFile(c[0]) || !Files.isRegularFile(c[1]) || c[0].equals(marker())) {
                continue;
            }
            try {
                if (alive(Files.readString(c[0]))) {
                    continue;
                }
                out.add(new Recovery(ProjectFiles.read(c[1]), c[1], c[0]));
            } catch (IOException | FlowbenchException e) {
                LOG.warn("autosave {} not recoverable: {}", c[1], e.getMessage());
            }
        }
        out.sort(java.util.Comparator.comparing((Recovery r) -> modified(r.autosave())).reversed());
        return out;
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** Marks this window as running (its process id and start time). */
    public void opened() {
        try {
            Files.createDirectories(sessions());
            String[] id = session.split("-");
            AtomicFiles.write(marker(), (id[0] + " " + id[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", marker(), e.getMessage());
        }
    }

    /** Writes this window's autosave. */
    public void autosave(Project p) {
        try {
            Files.createDirectories(sessions());
            byte[] bytes = ProjectFiles.toBytes(p);
            AtomicFiles.write(autosaveFile(), out -> out.write(bytes), false);
        } catch (IOException e) {
            LOG.warn("autosave failed: {}", e.getMessage());
        }
    }

    /** A clean exit: this window's autosave and marker go; other windows' files stay. */
    public void closedCleanly() {
        delete(autosaveFile(), marker());
    }

    /**
     * Takes a crashed window's project over (it is loaded into this window, whose own autosave now holds it) or drops
     * it when the user declined: either way its files go, so it is offered once.
     */
    public void settle(Recovery r) {
        delete(r.autosave(), r.marker());
    }

    private static void delete(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", f, e.getMessage());
            }
        }
    }

    public List<Path> recent() {
        Path f = dir.resolve("recent.json");
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            List<String> names = Json.MAPPER.readValue(f.toFile(), new TypeReference<List<String>>() {});
            List<Path> out = new ArrayList<>();
            for (String n : names) {
                out.add(Path.of(n));
            }
            return out;
        } catch (IOException e) {
            LOG.warn("recent-files list unreadable, ignoring it: {}", e.getMessage());
            return List.of();
        }
    }

    /** Moves {@code file} to the top of the recent list. */
    public void addRecent(Path file) {
        List<String> names = new ArrayList<>();
        String abs = file.toAbsolutePath().normalize().toString();
        names.add(abs);
        for (Path p : recent()) {
            String s = p.toString();
            if (!s.equals(abs) && names.size() < MAX_RECENT) {
                names.add(s);
            }
        }
        try {
            AtomicFiles.write(dir.resolve("recent.json"), Json.MAPPER.writeValueAsBytes(names));
        } catch (IOException e) {
            LOG.warn("cannot update the recent-files list: {}", e.getMessage());
        }
    }
}
