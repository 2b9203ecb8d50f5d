package org.flowbench.app.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;

/**
 * A results folder written as one transaction. Everything goes into a staging folder beside it
 * ({@code .NAME.staging-PID}); {@link #commit} writes the completion marker {@value #MARKER} there and then swaps
 * the staging folder in (the earlier results, if replaced, are moved aside first and deleted after). A lock file
 * ({@code .NAME.lock}, holding the process id) keeps two runs out of one folder; a lock whose process is gone is
 * taken over. An existing folder is replaced only when asked ({@code --overwrite}) and only if it is a Flowbench
 * results folder (it holds the marker) or empty, so a mistyped {@code --out} cannot delete unrelated files.
 *
 * <p>Killed at any moment, the folder holds the old complete results or the new complete ones, never a mix; the one
 * gap is between the two renames of the swap, when the folder is briefly absent and the old results sit in
 * {@code .NAME.old-PID}: the next run into the folder puts them back first.
 */
public final class OutputFolder implements AutoCloseable {
    public static final String MARKER = "run-complete.json";

    private final Path dir;
    private final Path lock;
    private final Path staging;
    private final boolean replace;
    private boolean done;

    private OutputFolder(Path dir, Path lock, Path staging, boolean replace) {
        this.dir = dir;
        this.lock = lock;
        this.staging = staging;
        this.replace = replace;
    }

    /** Locks {@code target}, checks it may be written, and opens a fresh staging folder. */
    public static OutputFolder begin(Path target, boolean overwrite, String command) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        String name = dir.getFileName().toString();
        Path lock = parent.resolve("." + name + ".lock");
        acquire(lock, dir, command);
        try {
            restoreInterruptedSwap(parent, name, dir);
            boolean exists = Files.exists(dir);
            if (exists && !Files.isDirectory(dir)) {
                throw new FlowbenchException("--out " + target + " is a file, not a folder");
            }
            if (exists && !isEmpty(dir)) {
                if (!overwrite) {
                    throw new FlowbenchException("--out " + target + " already holds " + (isResults(dir)
                            ? "the results of an earlier run" : "files"), "add --overwrite to replace them, or choose "
                            + "another --out; nothing was changed");
                }
                if (!isResults(dir)) {
                    throw new FlowbenchException("--out " + target + " holds files that are not Flowbench results; "
                            + "--overwrite replaces only a results folder", "choose another --out; nothing was changed");
                }
            }
            Path staging = parent.resolve("." + name + ".staging-" + ProcessHandle.current().pid());
            deleteTree(staging);
            Files.createDirectories(staging);
            return new OutputFolder(dir, lock, staging, exists);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(lock);
            throw e;
        }
    }

    /** {@code dir} if it is absent or empty, else the first of dir-2, dir-3, … that is. */
    public static Path firstFree(Path dir) throws IOException {
        if (!Files.exists(dir) || (Files.isDirectory(dir) && isEmpty(dir))) {
            return dir;
        }
        for (int k = 2; ; k++) {
            Path next = dir.resolveSibling(dir.getFileName() + "-" + k);
            if (!Files.exists(next) || (Files.isDirectory(next) && isEmpty(next))) {
                return next;
            }
        }
    }

    /**
     * Locks a folder that a command fills in place and may resume (training checkpoints, pair stores): a second
     * process writing it at the same time is refused in one line naming the holder; a lock whose process is gone is
     * taken over. Closing releases it.
     */
    public static AutoCloseable lock(Path target, String command) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        Files.createDirectories(dir.getParent());
        Path lock = dir.getParent().resolve("." + dir.getFileName() + ".lock");
        acquire(lock, dir, command);
        return () -> Files.deleteIfExists(lock);
    }

    /** Where the run writes its files until {@link #commit}. */
    public Path staging() {
        return staging;
    }

    public Path target() {
        return dir;
    }

    /** Marks the staged results complete and swaps them in place of the folder. */
    public void commit(Map<String, Object> summary) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completed", Instant.now().toString());
        m.putAll(summary);
        AtomicFiles.write(staging.resolve(MARKER), Json.MAPPER.writeValueAsBytes(m));
        Path parent = dir.getParent();
        Path old = parent.resolve("." + dir.getFileName() + ".old-" + ProcessHandle.current().pid());
        if (replace && Files.exists(dir)) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        done = true;
        Files.deleteIfExists(lock);
    }

    /** Without a commit: the staging folder is removed, the folder is as it was, the lock released. */
    @Override
    public void close() throws IOException {
        if (!done) {
            deleteTree(staging);
            Files.deleteIfExists(lock);
            done = true;
        }
    }

    /** Whether a folder is a complete Flowbench results folder. */
    public static boolean isResults(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER));
    }

    private static void acquire(Path lock, Path dir, String command) throws IOException {
        String me = ProcessHandle.current().pid() + "\n" + Instant.now() + "\n" + command + "\n";
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(lock, me, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                String[] held = readLock(lock);
                long pid = parsePid(held[0]);
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new FlowbenchException(dir + " is being written by process " + pid + " since " + held[1]
                            + " (" + held[2] + ")", "wait for it to finish, or choose another --out");
                }
                Files.deleteIfExists(lock); // its process is gone: a stale lock
            }
        }
        throw new FlowbenchException("cannot lock " + dir + " (" + lock + " keeps reappearing)");
    }

    private static String[] readLock(Path lock) {
        try {
            String[] l = Files.readString(lock, StandardCharsets.UTF_8).split("\n", 3);
            return new String[] {l[0].trim(), l.length > 1 ? l[1].trim() : "?", l.length > 2 ? l[2].trim() : "?"};
        } catch (IOException e) {
            return new String[] {"", "?", "?"};
        }
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A swap killed between its two renames left the folder absent and the old results aside: put them back. */
    private static void restoreInterruptedSwap(Path parent, String name, Path dir) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith("." + name + ".old-")) {
                    if (!Files.exists(dir) && isResults(p)) {
                        Files.move(p, dir, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        deleteTree(p);
                    }
                } else if (f.startsWith("." + name + ".staging-")) {
                    deleteTree(p); // a killed run's unfinished files (we hold the lock: no live run owns it)
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
