package com.phishnet.store.scans;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import com.phishnet.store.platform.web.FitsLowerCased;
import com.phishnet.store.platform.web.InputBounds;

/** Request and response shapes of the scans API, validated before anything is written. */
public final class ScanRequests {

    static final long MAX_MESSAGE_BYTES = 150L * 1024 * 1024;
    /** RFC 5322 lines are at most 998 characters: a Message-ID longer than that cannot have been sent. */
    static final int MESSAGE_ID_MAX = 998;

    private ScanRequests() {
    }

    public record IngestScan(
            @NotBlank @Size(max = InputBounds.ID_MAX) String userId,
            @NotNull @Valid EmailInput email,
            @NotNull @Valid ResultInput result) {
    }

    public record EmailInput(
            @NotBlank @Size(max = MESSAGE_ID_MAX) String messageId,
            @NotBlank @Email @Size(max = 320) @FitsLowerCased(max = 320) String sender,
            @NotEmpty @Size(max = 1000) List<@NotBlank @Email @Size(max = 320) @FitsLowerCased(max = 320) String> recipients,
            @Size(max = 2000) String subject,
            @NotNull @PastOrPresent Instant receivedAt,
            @Min(0) @Max(MAX_MESSAGE_BYTES) long sizeBytes,
            @Size(max = 5) Map<@Pattern(regexp = "sha256|sha1|md5") String,
                    @Pattern(regexp = "[0-9a-f]{32,64}") String> hashes) {
    }

    public record ResultInput(
            @NotNull Verdict verdict,
            @DecimalMin("0.0") @DecimalMax("1.0") double score,
            @Size(max = 500) List<@NotNull @Valid IndicatorInput> indicators,
            @NotBlank @Size(max = 100) String modelVersion,
            @Size(max = 20) Map<@Pattern(regexp = "[a-zA-Z]{1,32}") String, @NotNull @Min(0) Long> timings,
            @NotNull @PastOrPresent Instant scannedAt) {
    }

    public record IndicatorInput(
            @NotBlank @Size(max = 64) String type,
            @NotBlank @Size(max = 2048) String value,
            @DecimalMin("0.0") @DecimalMax("1.0") double weight) {
    }

    /**
     * An analyst's feedback on a scan: the corrected verdict, and optionally a comment, a rating (whole number
     * 1-5) and a flag ({@code false_positive}, {@code false_negative}, {@code needs_review}). A second feedback by
     * the same analyst replaces the first, optional fields included.
     */
    public record FeedbackInput(@NotNull Verdict verdict, @Size(max = 4000) String comment,
            @Min(FeedbackFields.RATING_MIN) @Max(FeedbackFields.RATING_MAX) Integer rating, FeedbackFlag flag) {

        /** Verdict and comment only, as before ratings and flags. */
        public FeedbackInput(Verdict verdict, String comment) {
            this(verdict, comment, null, null);
        }
    }

    public record ScanView(String id, String userId, String emailId, String sender, Verdict verdict,
            Verdict effectiveVerdict, double score, List<IndicatorView> indicators, String modelVersion,
            Map<String, Long> timings, Instant scannedAt, EmailView email) {

        static ScanView of(ScanResult scan, EmailMeta email) {
            return new ScanView(scan.id(), scan.userId(), scan.emailId(), scan.sender(), scan.verdict(),
                    scan.effectiveVerdict(), scan.score(), IndicatorView.allOf(scan.indicators()), scan.modelVersion(),
                    scan.timings(), scan.scannedAt(), email == null ? null : EmailView.of(email));
        }
    }

    /**
     * A threat as the threats stream shows it: a scan detected SUSPICIOUS or MALICIOUS, or analyst feedback that
     * raised a scan's verdict.
     *
     * @param cause   {@value #DETECTED} or {@value #RAISED_BY_FEEDBACK}
     * @param from    the effective verdict the feedback replaced; null when detected
     * @param verdict the detected verdict, or the one the feedback set
     * @param scan    the scan as {@code GET /api/v1/scans/{id}} shows it (for a correction: when the event was read)
     */
    public record ThreatView(String cause, Verdict from, Verdict verdict, ScanView scan) {

        public static final String DETECTED = "DETECTED";
        public static final String RAISED_BY_FEEDBACK = "RAISED_BY_FEEDBACK";

        static ThreatView detected(ScanView scan) {
            return new ThreatView(DETECTED, null, scan.verdict(), scan);
        }

        static ThreatView raisedByFeedback(Verdict from, Verdict to, ScanView scan) {
            return new ThreatView(RAISED_BY_FEEDBACK, from, to, scan);
        }
    }

    /** One piece of evidence behind a verdict, as shown. */
    public record IndicatorView(String type, String value, double weight) {

        static List<IndicatorView> allOf(List<ScanResult.Indicator> indicators) {
            // The validator lets a stored scan lack indicators; such a scan has always shown "indicators": null.
            return indicators == null ? null
                    : indicators.stream().map(indicator -> new IndicatorView(indicator.type(), indicator.value(),
                            indicator.weight())).toList();
        }
    }

    public record EmailView(String id, String messageId, String sender, List<String> recipients, String subject,
            Instant receivedAt, long sizeBytes, Map<String, String> hashes) {

        static EmailView of(EmailMeta email) {
            return new EmailView(email.id(), email.messageId(), email.sender(), email.recipients(), email.subject(),
                    email.receivedAt(), email.sizeBytes(), email.hashes());
        }
    }

    /**
     * Feedback as shown. {@code modelVersion} and {@code scanVerdict}: the scan's model version and original
     * verdict when the feedback was written; null for old feedback whose scan was gone when V017 backfilled them.
     */
    public record FeedbackView(String id, String scanId, String analystId, Verdict correctedVerdict, String comment,
            Integer rating, FeedbackFlag flag, String modelVersion, Verdict scanVerdict, Instant createdAt,
            Instant updatedAt) {

        static FeedbackView of(Feedback feedback) {
            return new FeedbackView(feedback.id(), feedback.scanId(), feedback.analystId(), feedback.correctedVerdict(),
                    feedback.comment(), feedback.rating(), FeedbackFlag.ofStored(feedback.flag()),
                    feedback.modelVersion(), feedback.scanVerdict(), feedback.createdAt(), feedback.updatedAt());
        }
    }

    /** A page reached through an opaque keyset cursor: no total, constant cost however deep. */
    public record CursorPage<T>(List<T> items, String nextCursor) {
    }
}
