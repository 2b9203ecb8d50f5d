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
 * The per-user state around projects: the recent-files list, the autosave copy of the open project, and crash
 * recovery. While a workbench is open, a {@code running} marker exists; a clean exit removes it and the autosave.
 * If the next start finds both the marker and an autosave, the previous session ended without a clean exit and
 * {@link #recoverable()} offers the autosaved project.
 */
public final class Workspace {
    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);
    private static final int MAX_RECENT = 10;

    private final Path dir;

    public Workspace(Path dir) {
        this.dir = dir;
    }

    /** {@code -Dflowbench.config}, else {@code ~/.flowbench}. */
    public static Workspace user() {
        String p = System.getProperty("flowbench.config");
        return new Workspace(p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".flowbench"));
    }

    public Path dir() {
        return dir;
    }

    Path autosaveFile() {
        return dir.resolve("autosave" + ProjectFiles.EXTENSION);
    }

    Path marker() {
        return dir.resolve("running");
    }

    /** The autosaved project of a session that did not exit cleanly, if any; call before {@link #opened()}. */
    public Optional<Project> recoverable() {
        if (!Files.exists(marker()) || !Files.exists(autosaveFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProjectFiles.read(autosaveFile()));
        } catch (FlowbenchException e) {
            LOG.warn("autosave not recoverable: {}", e.oneLine());
            return Optional.empty();
        }
    }

    /** Marks a workbench session as running. */
    public void opened() {
        try {
            AtomicFiles.write(marker(), Long.toString(ProcessHandle.current().pid()).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", marker(), e.getMessage());
        }
    }

    public void autosave(Project p) {
        try {
            byte[] bytes = ProjectFiles.toBytes(p);
            AtomicFiles.write(autosaveFile(), out -> out.write(bytes), false);
        } catch (IOException e) {
            LOG.warn("autosave failed: {}", e.getMessage());
        }
    }

    /** A clean exit: the autosave and the marker go. */
    public void closedCleanly() {
        try {
            Files.deleteIfExists(autosaveFile());
            Files.deleteIfExists(marker());
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir, e.getMessage());
        }
    }

    /** Drops a recovery offer the user declined. */
    public void discardRecovery() {
        try {
            Files.deleteIfExists(autosaveFile());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", autosaveFile(), e.getMessage());
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
