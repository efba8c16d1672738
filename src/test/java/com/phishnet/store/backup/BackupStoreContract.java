package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What every {@link BackupStore} does, whatever keeps the archives. */
abstract class BackupStoreContract {

    @TempDir
    Path work;

    byte[] archive;

    abstract BackupStore store();

    /** Where the store says it keeps the archive of this name. */
    abstract String expectedLocation(String name);

    @BeforeEach
    void anArchive() {
        archive = new byte[300_000];
        new Random(7).nextBytes(archive);
    }

    Path staged(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(work, "archive", ".tar"), bytes);
    }

    byte[] read(String name, long offset, long length) {
        return read(store(), name, offset, length);
    }

    static byte[] read(BackupStore from, String name, long offset, long length) {
        return DataBufferUtils.join(from.read(name, offset, length)).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).defaultIfEmpty(new byte[0]).block(Duration.ofSeconds(30));
    }

    @Test
    void anArchiveIsKeptWholeUnderItsNameAndReadBackByRange() throws IOException {
        Path staged = staged(archive);
        BackupStore.Stored stored = store().put("b-1", staged).block(Duration.ofSeconds(30));

        assertThat(stored.bytes()).isEqualTo(archive.length);
        assertThat(stored.location()).isEqualTo(expectedLocation("b-1"));
        assertThat(staged).doesNotExist();
        assertThat(store().size("b-1").block(Duration.ofSeconds(10))).isEqualTo(archive.length);
        assertThat(read("b-1", 0, archive.length)).isEqualTo(archive);
        assertThat(read("b-1", 100_000, 70_001)).isEqualTo(Arrays.copyOfRange(archive, 100_000, 170_001));
        assertThat(read("b-1", archive.length - 10, 1_000)).isEqualTo(Arrays.copyOfRange(archive, archive.length - 10,
                archive.length));
        assertThat(read("b-1", 5, 0)).isEmpty();
        assertThat(read("b-1", archive.length, 10)).as("a range that starts at the end").isEmpty();
    }

    @Test
    void aReadIsStreamedInBuffersNeverTheWholeArchive() throws IOException {
        byte[] large = new byte[3_000_000];
        new Random(11).nextBytes(large);
        store().put("b-2", staged(large)).block(Duration.ofSeconds(30));
        List<Integer> sizes = store().read("b-2", 0, large.length).map(buffer -> {
            int size = buffer.readableByteCount();
            DataBufferUtils.release(buffer);
            return size;
        }).collectList().block(Duration.ofSeconds(30));

        assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(large.length);
        assertThat(sizes).hasSizeGreaterThan(1).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(64 * 1024));
    }

    @Test
    void aMissingArchiveHasNoSizeAndCannotBeRead() {
        assertThat(store().size("nothing").blockOptional(Duration.ofSeconds(10))).isEmpty();
        StepVerifier.create(store().read("nothing", 0, 10))
                .expectErrorSatisfies(failure -> assertThat(failure)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("The archive of backup nothing is not in the store"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void deletingRemovesTheArchiveAndIsHarmlessTwice() throws IOException {
        store().put("b-3", staged(archive)).block(Duration.ofSeconds(30));
        store().delete("b-3").block(Duration.ofSeconds(10));
        store().delete("b-3").block(Duration.ofSeconds(10));
        assertThat(store().size("b-3").blockOptional(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aSecondPutUnderTheSameNameReplacesTheFirstWhole() throws IOException {
        store().put("b-4", staged(archive)).block(Duration.ofSeconds(30));
        byte[] other = new byte[1234];
        store().put("b-4", staged(other)).block(Duration.ofSeconds(30));
        assertThat(read("b-4", 0, Long.MAX_VALUE)).isEqualTo(other);
        assertThat(store().size("b-4").block(Duration.ofSeconds(10))).isEqualTo(other.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "", "x.tar", "with space", "ü"})
    void aNameThatIsNotABackupIdIsRefused(String name) throws IOException {
        Path staged = staged(archive);
        assertThatThrownBy(() -> store().read(name, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().delete(name).block(Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().put(name, staged).block(Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThat(staged).exists();
        assertThat(Mono.defer(() -> store().size(name)).onErrorResume(IllegalArgumentException.class, refused -> Mono.just(-1L))
                .block(Duration.ofSeconds(10))).isEqualTo(-1L);
    }
}
