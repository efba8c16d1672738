package com.phishnet.store.support.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a benchmark ran: figures mean little without the machine they were taken on. */
public record MachineFacts(int cores, long maxHeapMiB, long physicalMemoryMiB, String os, String cpu, String jdk,
        String openFileLimit) {

    public static MachineFacts ofThisJvm() {
        Runtime runtime = Runtime.getRuntime();
        return new MachineFacts(runtime.availableProcessors(), runtime.maxMemory() >> 20, totalMemoryMiB(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch")
                        + ")",
                cpuModel(Path.of("/proc/cpuinfo")),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                fileLimit());
    }

    /** The first "model name" of a Linux cpuinfo file; "unknown" elsewhere. */
    static String cpuModel(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String line : lines) {
                if (line.startsWith("model name") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return "unknown";
        }
        catch (IOException | RuntimeException unreadable) {
            return "unknown";
        }
    }

    private static long totalMemoryMiB() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() >> 20 : -1;
    }

    private static String fileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? Long.toString(unix.getMaxFileDescriptorCount()) : "unknown";
    }
}
