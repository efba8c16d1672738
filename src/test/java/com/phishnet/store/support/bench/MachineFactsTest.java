package com.phishnet.store.support.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineFactsTest {

    @TempDir
    Path directory;

    @Test
    void theCpuIsTheFirstModelNameOfCpuinfo() throws Exception {
        Path cpuinfo = Files.writeString(directory.resolve("cpuinfo"), """
                processor	: 0
                vendor_id	: GenuineIntel
                model name	: Intel(R) Xeon(R) CPU @ 2.20GHz
                processor	: 1
                model name	: Intel(R) Xeon(R) CPU @ 2.20GHz
                """);

        assertThat(MachineFacts.cpuModel(cpuinfo)).isEqualTo("Intel(R) Xeon(R) CPU @ 2.20GHz");
    }

    @Test
    void withoutCpuinfoTheCpuIsUnknown() {
        assertThat(MachineFacts.cpuModel(directory.resolve("absent"))).isEqualTo("unknown");
    }

    @Test
    void thisJvmHasCoresAndAHeap() {
        MachineFacts facts = MachineFacts.ofThisJvm();

        assertThat(facts.cores()).isPositive();
        assertThat(facts.maxHeapMiB()).isPositive();
        assertThat(facts.jdk()).contains(System.getProperty("java.runtime.version"));
    }
}
