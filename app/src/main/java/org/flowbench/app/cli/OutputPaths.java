package org.flowbench.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;

/**
 * Checks made before a command computes anything: no output is one of its inputs (or inside an input folder, such as
 * a model package), no two outputs are the same file, a project file is never a side output, and every output's
 * folder can be written. Each problem is one line naming the option and the file.
 */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * @param inputs option name → input path (null entries and references that are not paths are skipped)
     * @param outputs option name → output path (null entries skipped)
     */
    static void check(Map<String, Path> inputs, Map<String, Path> outputs) {
        List<Map.Entry<String, Path>> outs = new ArrayList<>();
        for (Map.Entry<String, Path> o : outputs.entrySet()) {
            if (o.getValue() == null) {
                continue;
            }
            Path out = canonical(o.getValue());
            if (out.getFileName() != null && out.getFileName().toString().endsWith(".flowbench")) {
                throw new FlowbenchException(o.getKey() + " " + o.getValue() + " is a project file, not an output of this "
                        + "command", "choose another file name");
            }
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (in.getValue() == null || !Files.exists(in.getValue())) {
                    continue;
                }
                Path i = canonical(in.getValue());
                if (out.equals(i) || (Files.isDirectory(i) && out.startsWith(i))) {
                    throw new FlowbenchException(o.getKey() + " " + o.getValue() + " would overwrite the input " + in.getKey()
                            + " " + in.getValue(), "write the output somewhere else; nothing was changed");
                }
            }
            for (Map.Entry<String, Path> other : outs) {
                if (canonical(other.getValue()).equals(out)) {
                    throw new FlowbenchException(o.getKey() + " and " + other.getKey() + " are the same file " + o.getValue(),
                            "give each output its own file");
                }
            }
            outs.add(o);
            requireWritableFolder(o.getKey(), o.getValue());
        }
    }

    /** The folder an output goes into exists (or can be created) and can be written. */
    static void requireWritableFolder(String option, Path out) {
        Path parent = out.toAbsolutePath().getParent();
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new FlowbenchException(option + " " + out + ": cannot write into " + (existing == null ? parent : existing),
                    "choose a folder you can write to; nothing was computed");
        }
        if (Files.isDirectory(out)) {
            throw new FlowbenchException(option + " " + out + " is a folder, not a file");
        }
    }

    /** The absolute, normalised path, with symbolic links resolved as far as the path exists. */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest);
        } catch (IOException e) {
            return abs;
        }
    }
}
