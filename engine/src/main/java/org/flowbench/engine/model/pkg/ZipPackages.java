package org.flowbench.engine.model.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.flowbench.engine.FlowbenchException;

/** Unpacks a zipped model package safely: no entry may leave the target folder, no links, bounded size. */
public final class ZipPackages {
    /** Largest total size unpacked (4 GiB). */
    public static final long MAX_BYTES = 4L << 30;

    private ZipPackages() {}

    /** Unpacks {@code zip} into {@code target} (created) and returns the folder holding the manifest. */
    public static Path unpack(Path zip, Path target) {
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
            Files.createDirectories(root);
            ZipEntry e;
            byte[] buf = new byte[1 << 16];
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName().replace('\\', '/');
                if (name.startsWith("/") || name.contains("\0") || name.matches("^[A-Za-z]:.*")) {
                    throw new FlowbenchException("zip " + zip + " has an absolute entry '" + e.getName() + "'",
                            "the archive is unsafe; it was not unpacked");
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root) || out.equals(root) && !e.isDirectory()) {
                    throw new FlowbenchException("zip " + zip + " has an entry '" + e.getName()
                            + "' that leaves the target folder", "the archive is unsafe; it was not unpacked");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        total += r;
                        if (total > MAX_BYTES) {
                            throw new FlowbenchException("zip " + zip + " unpacks to more than " + MAX_BYTES + " bytes");
                        }
                        os.write(buf, 0, r);
                    }
                }
            }
        } catch (IOException ex) {
            throw new FlowbenchException("cannot unpack " + zip + ": " + ex.getMessage(), null, ex);
        }
        if (ModelPackage.isPackage(root)) {
            return root;
        }
        try (var s = Files.list(root)) {
            return s.filter(Files::isDirectory).filter(ModelPackage::isPackage).findFirst()
                    .orElseThrow(() -> new FlowbenchException("zip " + zip + " holds no " + ModelPackage.MANIFEST));
        } catch (IOException ex) {
            throw new FlowbenchException("cannot list " + root + ": " + ex.getMessage(), null, ex);
        }
    }
}
