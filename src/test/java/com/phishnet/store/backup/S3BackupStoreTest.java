package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store against a real S3 API server: S3Proxy, started here on a free port over a temporary directory,
 * checking signatures (V2 or V4) with the same access key and secret the store is given.
 */
class S3BackupStoreTest extends BackupStoreContract {

    static final String BUCKET = "backups";
    static final String PREFIX = "phishnet/backups/";
    static final String ACCESS_KEY = "access";
    static final String SECRET_KEY = "s3proxy-secret";

    @TempDir
    static Path served;

    static S3Proxy server;
    static URI endpoint;

    static S3BackupStore store;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(served.toString()))
                // Port 0: the system picks a free one, read back once the server listens.
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // S3Proxy refuses any header it does not know with 501, and the SDK completes a multipart upload
                // with x-amz-mp-object-size, newer than S3Proxy; AWS and the common S3-compatible stores take it.
                .ignoreUnknownHeaders(true)
                .build();
        server.start();
        // start() returns before Jetty is serving.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(server.getState())) {
            assertThat(System.nanoTime()).as("S3Proxy started within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + server.getPort());
        try (S3AsyncClient client = bucketClient()) {
            client.createBucket(request -> request.bucket(BUCKET)).get();
        }
        // One store for the class: closing its client shuts Netty's event loops down with a 2 s quiet period.
        store = new S3BackupStore(settings(PREFIX), Schedulers.boundedElastic());
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** A client of its own, to look at the bucket the way an operator would, not through the store. */
    static S3AsyncClient bucketClient() {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build();
    }

    static S3BackupStore.Settings settings(String prefix) {
        return new S3BackupStore.Settings(endpoint, "us-east-1", BUCKET, prefix, ACCESS_KEY, SECRET_KEY, true);
    }

    @Override
    BackupStore store() {
        return store;
    }

    @Override
    String expectedLocation(String name) {
        return "s3://" + BUCKET + "/" + PREFIX + name + ".tar";
    }

    static List<String> keysInTheBucket() throws Exception {
        try (S3AsyncClient client = bucketClient()) {
            return client.listObjectsV2(request -> request.bucket(BUCKET)).get()
                    .contents().stream().map(S3Object::key).toList();
        }
    }

    @Test
    void archivesLandUnderTheConfiguredPrefixAndStoresWithOtherPrefixesKeepTheirOwn() throws Exception {
        byte[] other = new byte[4321];
        new Random(13).nextBytes(other);
        store.put("p-1", staged(archive)).block(Duration.ofSeconds(30));
        try (S3BackupStore elsewhere = new S3BackupStore(settings("other/"), Schedulers.boundedElastic())) {
            elsewhere.put("p-1", staged(other)).block(Duration.ofSeconds(30));
            assertThat(read(elsewhere, "p-1", 0, Long.MAX_VALUE)).isEqualTo(other);
        }

        assertThat(keysInTheBucket()).contains("phishnet/backups/p-1.tar", "other/p-1.tar")
                .allSatisfy(key -> assertThat(key).matches("(phishnet/backups|other)/[A-Za-z0-9_-]+\\.tar"));
        assertThat(read("p-1", 0, Long.MAX_VALUE)).isEqualTo(archive);
    }

    @Test
    void anArchiveAboveOnePartIsUploadedInPartsAndReadBackWhole() throws Exception {
        byte[] large = new byte[(int) (2.5 * S3BackupStore.PART_BYTES)];
        new Random(17).nextBytes(large);
        BackupStore.Stored stored = store.put("b-5", staged(large)).block(Duration.ofSeconds(60));

        assertThat(stored.bytes()).isEqualTo(large.length);
        assertThat(read("b-5", 0, large.length)).isEqualTo(large);
        try (S3AsyncClient client = bucketClient()) {
            String etag = client.headObject(request -> request.bucket(BUCKET).key(PREFIX + "b-5.tar")).get().eTag();
            // A multipart object's ETag ends in "-<parts>".
            assertThat(etag).endsWith("-3\"");
        }
    }

    @Test
    void theSettingsNeverShowTheSecret() {
        assertThat(settings(PREFIX).toString()).doesNotContain(SECRET_KEY).contains("secretKey=***");
    }
}
