package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Main under LANG=C with a file name that locale cannot hold: one plain line with the way out, rc 2. */
class LocaleTest {
    @TempDir
    Path dir;

    @Test
    void aNameTheLocaleCannotHoldIsExplainedNotDumped() throws Exception {
        // the name travels in a UTF-8 argument file (picocli's @file), so that this test does not depend on the
        // locale Maven itself runs under; the child reads it as UTF-8 but its file names follow LANG=C
        Path args = dir.resolve("args.txt");
        java.nio.file.Files.write(args, ("sample\n--model\nbuiltin:3modes\n--n\n2\n--quiet\n--out\n" + dir
                + "/\u00fcber.npy\n").getBytes(StandardCharsets.UTF_8));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                "org.flowbench.app.Main", "@" + args);
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.contains("cannot be used as a file name") && out.contains("LANG=C.UTF-8"), out);
        assertTrue(!out.contains("InvalidPathException"), out);
    }
}
