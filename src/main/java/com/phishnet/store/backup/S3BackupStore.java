package com.phishnet.store.backup;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/**
 * Archives as objects {@code <prefix><name>.tar} in an S3 bucket (AWS or any S3-compatible store). An object
 * appears whole or not at all (S3 makes a PUT, and a completed multipart upload, visible at once), and is read
 * with ranged GETs streamed in the HTTP client's chunks, so a download of any size needs no more memory than a
 * few chunks.
 */
public final class S3BackupStore implements BackupStore, AutoCloseable {

    /**
     * A single PUT takes at most 5 GiB, so an archive above this size goes up as a multipart upload, by the
     * SDK's own support: parts of this size (the SDK grows them when an archive would need more than S3's
     * 10,000 parts), which keeps any archive up to S3's 5 TiB object limit in reach. 8 MiB is above S3's 5 MiB
     * minimum part and is the SDK's default.
     */
    static final long PART_BYTES = 8L * 1024 * 1024;

    /**
     * Where the archives go and who writes them.
     *
     * @param endpoint  the store's URL, for an S3-compatible store; null for AWS itself
     * @param region    the region requests are signed for (an S3-compatible store often accepts any, e.g. us-east-1)
     * @param prefix    put before every object name as it is, so a folder needs its own trailing '/'; may be empty
     * @param accessKey with {@code secretKey}, static credentials; both null for the SDK's default chain
     *                  (environment, system properties, profile files, container and instance roles)
     * @param pathStyle {@code <endpoint>/<bucket>/<key>} instead of {@code <bucket>.<endpoint>/<key>}: most
     *                  self-hosted stores have no per-bucket host names
     */
    public record Settings(URI endpoint, String region, String bucket, String prefix, String accessKey,
            String secretKey, boolean pathStyle) {

        public Settings {
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("An S3 backup store needs the region its requests are signed for");
            }
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("An S3 backup store needs a bucket");
            }
            prefix = prefix == null ? "" : prefix;
            accessKey = blankToNull(accessKey);
            secretKey = blankToNull(secretKey);
            if ((accessKey == null) != (secretKey == null)) {
                throw new IllegalArgumentException("An access key and its secret are given together or not at all");
            }
        }

        /** The record's own toString would print the secret into any log line that shows the settings. */
        @Override
        public String toString() {
            return "Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix="
                    + prefix + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "***")
                    + ", pathStyle=" + pathStyle + "]";
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }

    private final S3AsyncClient client;
    private final String bucket;
    private final String prefix;
    private final Scheduler io;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

    /**
     * @param io where the blocking file operations on the local archive (its size, its removal) run
     */
    public S3BackupStore(Settings settings, Scheduler io) {
        this.client = client(settings);
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.io = io;
    }

    private static S3AsyncClient client(Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Named rather than discovered, so an AWS CRT jar that turns up on the classpath changes nothing.
                // Its own event loops: the SDK does not accept Reactor Netty's (Netty 4.2's IoEventLoopGroup).
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder()
                        .thresholdInBytes(PART_BYTES)
                        .minimumPartSizeInBytes(PART_BYTES)
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    @Override
    public Mono<Stored> put(String name, Path archive) {
        return Mono.defer(() -> {
            String key = key(name);
            return Mono.fromCallable(() -> Files.size(archive)).subscribeOn(io)
                    // Still on the io scheduler: the request body stats the file as it is made.
                    .flatMap(bytes -> Mono.fromFuture(() -> client.putObject(
                                    request -> request.bucket(bucket).key(key).contentType("application/x-tar"),
                                    AsyncRequestBody.fromFile(archive)))
                            .then(Mono.fromCallable(() -> {
                                // Only once the store has the whole archive is the local copy given up.
                                Files.delete(archive);
                                return new Stored("s3://" + bucket + "/" + key, bytes);
                            }).subscribeOn(io)));
        });
    }

    @Override
    public Mono<Long> size(String name) {
        return Mono.defer(() -> {
            String key = key(name);
            return Mono.fromFuture(() -> client.headObject(request -> request.bucket(bucket).key(key)))
                    .map(HeadObjectResponse::contentLength)
                    // A HEAD answer has no body to tell a missing key from a missing bucket: any 404 is "none".
                    .onErrorResume(S3BackupStore::isNotFound, missing -> Mono.empty());
        });
    }

    @Override
    public Flux<DataBuffer> read(String name, long offset, long length) {
        if (offset < 0 || length < 0) {
            return Flux.error(new IllegalArgumentException("A range starts and ends inside the archive"));
        }
        String key = key(name);
        if (length == 0) {
            return Flux.empty();
        }
        // An open end when the last byte would overflow (a read "to the end" passes Long.MAX_VALUE).
        String range = length > Long.MAX_VALUE - offset
                ? "bytes=" + offset + "-"
                : "bytes=" + offset + "-" + (offset + length - 1);
        Mono<ResponsePublisher<GetObjectResponse>> response = Mono.fromFuture(() -> client.getObject(
                        request -> request.bucket(bucket).key(key).range(range),
                        AsyncResponseTransformer.toPublisher()))
                // A range that starts at or past the end: nothing to read, as with a file.
                .onErrorResume(S3BackupStore::isRangeNotSatisfiable, past -> Mono.empty());
        return response
                // The SDK hands each chunk over in a ByteBuffer of its own, so it is wrapped, not copied.
                .flatMapMany(chunks -> Flux.from(chunks).map(buffers::wrap))
                .onErrorMap(NoSuchKeyException.class, missing -> new IllegalStateException(
                        "The archive of backup " + name + " is not in the store", missing));
    }

    @Override
    public Mono<Void> delete(String name) {
        // S3 answers a DELETE of a missing key with success too.
        return Mono.defer(() -> {
            String key = key(name);
            return Mono.fromFuture(() -> client.deleteObject(request -> request.bucket(bucket).key(key))).then();
        });
    }

    /** Closes the client and with it the HTTP connections and event loops it made. */
    @Override
    public void close() {
        client.close();
    }

    private String key(String name) {
        return prefix + BackupStore.checked(name) + ".tar";
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    private static boolean isRangeNotSatisfiable(Throwable failure) {
        return failure instanceof S3Exception s3 && s3.statusCode() == 416;
    }
}
